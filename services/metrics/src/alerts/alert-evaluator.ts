import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { EventStore, StoredEvent } from '@slipway/event-store';
import type { CommandMetadata } from '@slipway/proto';
import { alertRuleDecider, type AlertRuleEvent, type AlertRuleState } from './alert-rule.decider';
import { evaluateRule } from './alert-evaluation';
import type { AlertReadings } from './alert-readings';
import { alertRules } from './alerts.aggregate';

/** Every rule's state now, folded from the metrics context's alert-rule streams (small: rules and their alerts). */
export const ruleStates = (events: StoredEvent[]): Map<string, AlertRuleState> => {
  const states = new Map<string, AlertRuleState>();
  for (const e of events) states.set(e.stream.id, alertRuleDecider.evolve(states.get(e.stream.id) ?? alertRuleDecider.initialState, e as unknown as AlertRuleEvent));
  return states;
};

type ActiveRule = Exclude<AlertRuleState, { status: 'none' }>;
export const activeRules = (states: Map<string, AlertRuleState>) =>
  [...states.values()].filter((s): s is ActiveRule => s.status === 'active');

export const serviceMetadata = (now: string): CommandMetadata => {
  const commandId = randomUUID();
  return { commandId, correlationId: `alerts-${commandId}`, actor: { kind: 'service', id: 'metrics' }, now };
};

/**
 * Every interval (SLIPWAY_ALERTS_EVAL_S, 15 s by default): each active rule's readings, then
 * evaluateRule, whose fire and resolve decisions become events on the rule's stream (the
 * notifications follow from those events). How long a value has been past its threshold is kept
 * in memory: after a restart, a rule's forMinutes start again (an alert already firing stays so).
 */
export class AlertEvaluator {
  private readonly log = new Logger('alerts');
  private readonly pastSince = new Map<string, Map<string, number>>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly events: { readonly store: EventStore },
    private readonly readings: AlertReadings,
    private readonly intervalMs: number,
  ) {}

  start(ready: Promise<unknown>): void {
    const tick = () => {
      this.running ??= ready
        .then(() => this.evaluate())
        .then(() => undefined)
        .catch((err: Error) => this.log.warn(`could not evaluate the alert rules: ${err.message}`))
        .finally(() => (this.running = undefined));
    };
    this.timer = setInterval(tick, this.intervalMs);
    tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One round; returns how many alerts fired and resolved. */
  async evaluate(now = Date.now()): Promise<{ rules: number; fired: number; resolved: number }> {
    const rules = activeRules(ruleStates(await this.events.store.readAll({ context: 'metrics', aggregate: 'alert-rule' })));
    for (const id of this.pastSince.keys()) if (!rules.some((r) => r.rule.ruleId === id)) this.pastSince.delete(id);
    let fired = 0;
    let resolved = 0;
    for (const { rule, open } of rules) {
      if (rule.metric === 'deployment-failed') continue;
      const readings = await this.readings.read(rule, now).catch((err: Error) => {
        this.log.warn(`alert rule ${rule.ruleId}: ${err.message}`);
        return undefined;
      });
      if (!readings) continue; // unknown is not "back to normal": nothing resolves on a failed read
      const since = this.pastSince.get(rule.ruleId) ?? new Map<string, number>();
      this.pastSince.set(rule.ruleId, since);
      for (const d of evaluateRule(rule, readings, open, since, now)) {
        const at = new Date(now).toISOString();
        const command =
          d.kind === 'fire'
            ? { type: 'FireAlert' as const, data: { alertId: `al_${randomUUID().replace(/-/g, '')}`, subject: d.subject, serviceId: d.serviceId, value: d.value, message: d.message }, now: at }
            : { type: 'ResolveAlert' as const, data: { subject: d.subject, serviceId: d.serviceId, value: d.value, message: d.message }, now: at };
        const { events } = await alertRules.handle(this.events.store, rule.ruleId, command, serviceMetadata(at));
        if (events.length) this.log.log(`alert rule ${rule.ruleId}: ${d.kind === 'fire' ? 'fired' : 'resolved'}: ${d.message}`);
        if (d.kind === 'fire') fired += events.length;
        else resolved += events.length;
      }
    }
    return { rules: rules.length, fired, resolved };
  }
}
