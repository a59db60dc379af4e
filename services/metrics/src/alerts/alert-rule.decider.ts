import { assertNever, type Decider } from '@slipway/event-store';
import { DomainError } from '@slipway/messaging';
import type { AlertFired, AlertResolved, AlertRuleCreated, AlertRuleDeleted, EventData } from '@slipway/proto';

export type RuleData = EventData<typeof AlertRuleCreated>;
type Fired = EventData<typeof AlertFired>;
type Resolved = EventData<typeof AlertResolved>;

export type AlertRuleEvent =
  | { type: 'AlertRuleCreated'; data: RuleData }
  | { type: 'AlertRuleDeleted'; data: EventData<typeof AlertRuleDeleted> }
  | { type: 'AlertFired'; data: Fired }
  | { type: 'AlertResolved'; data: Resolved };

/** What a firing alert is about, as the evaluator measured it. */
export interface Measurement {
  subject: string;
  serviceId: string | null;
  value: number;
  message: string;
}

export type AlertRuleCommand =
  | { type: 'CreateAlertRule'; data: Omit<RuleData, 'createdAt'>; now: string }
  | { type: 'DeleteAlertRule'; data: { ruleId: string }; now: string }
  | { type: 'FireAlert'; data: Measurement & { alertId: string }; now: string }
  | { type: 'ResolveAlert'; data: Omit<Measurement, 'value'> & { value: number | null }; now: string };

/** An alert that fired and has not resolved, by subject. */
export type OpenAlert = { alertId: string; serviceId: string | null; firedAt: string };

export type AlertRuleState =
  | { status: 'none' }
  | { status: 'active' | 'deleted'; rule: RuleData; open: Record<string, OpenAlert> };

const activeRule = (state: AlertRuleState, ruleId: string) => {
  if (state.status === 'none') throw new DomainError('ALERT_RULE_NOT_FOUND', `No alert rule ${ruleId}`, 'id');
  return state;
};

/**
 * An alert rule and the alerts it raised. One alert per subject at a time: firing twice for the same
 * subject, or resolving one that is not firing, records nothing (the evaluator may repeat itself
 * after a restart). Deleting the rule resolves what is still firing, so nothing stays open forever.
 */
export const alertRuleDecider: Decider<AlertRuleCommand, AlertRuleEvent, AlertRuleState> = {
  initialState: { status: 'none' },
  evolve: (state, event) => {
    switch (event.type) {
      case 'AlertRuleCreated':
        return { status: 'active', rule: event.data, open: {} };
      case 'AlertRuleDeleted':
        return state.status === 'none' ? state : { ...state, status: 'deleted' };
      case 'AlertFired':
        if (state.status === 'none') return state;
        return { ...state, open: { ...state.open, [event.data.subject]: { alertId: event.data.alertId, serviceId: event.data.serviceId, firedAt: event.data.firedAt } } };
      case 'AlertResolved': {
        if (state.status === 'none') return state;
        const { [event.data.subject]: _gone, ...open } = state.open;
        return { ...state, open };
      }
      default:
        return assertNever(event);
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'CreateAlertRule':
        if (state.status !== 'none') return []; // a redelivered command
        return [{ type: 'AlertRuleCreated', data: { ...command.data, createdAt: command.now } }];
      case 'DeleteAlertRule': {
        const s = activeRule(state, command.data.ruleId);
        if (s.status === 'deleted') return [];
        const { rule } = s;
        const resolved = Object.entries(s.open).map(([subject, a]): AlertRuleEvent => ({
          type: 'AlertResolved',
          data: { alertId: a.alertId, ruleId: rule.ruleId, projectId: rule.projectId, metric: rule.metric, serviceId: a.serviceId, subject, value: null, reason: 'rule-deleted', message: 'The alert rule was deleted', resolvedAt: command.now },
        }));
        return [...resolved, { type: 'AlertRuleDeleted', data: { ruleId: rule.ruleId, deletedAt: command.now } }];
      }
      case 'FireAlert': {
        const s = activeRule(state, '(unknown)');
        if (s.status !== 'active' || s.open[command.data.subject]) return [];
        const { rule } = s;
        const d = command.data;
        return [{ type: 'AlertFired', data: { alertId: d.alertId, ruleId: rule.ruleId, projectId: rule.projectId, metric: rule.metric, serviceId: d.serviceId, subject: d.subject, value: d.value, threshold: rule.threshold, message: d.message, firedAt: command.now } }];
      }
      case 'ResolveAlert': {
        if (state.status !== 'active') return [];
        const open = state.open[command.data.subject];
        if (!open) return [];
        const { rule } = state;
        const d = command.data;
        return [{ type: 'AlertResolved', data: { alertId: open.alertId, ruleId: rule.ruleId, projectId: rule.projectId, metric: rule.metric, serviceId: open.serviceId, subject: d.subject, value: d.value, reason: 'recovered', message: d.message, resolvedAt: command.now } }];
      }
      default:
        return assertNever(command);
    }
  },
};
