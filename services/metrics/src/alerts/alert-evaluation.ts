import type { AlertMetric } from '@slipway/proto';
import type { OpenAlert, RuleData } from './alert-rule.decider';

/** One reading of what a rule watches: a service's CPU, a hostname's days left, the host's disk. */
export interface Reading {
  subject: string;
  serviceId: string | null;
  /** For messages: the service's name, the hostname, "the host". */
  name: string;
  value: number;
}

export type Decision =
  | { kind: 'fire'; subject: string; serviceId: string | null; value: number; message: string }
  | { kind: 'resolve'; subject: string; serviceId: string | null; value: number | null; message: string };

const label: Record<Exclude<AlertMetric, 'deployment-failed'>, string> = {
  cpu: 'CPU',
  memory: 'Memory',
  restarts: 'Restarts',
  'host-disk': 'Disk',
  'certificate-expiry': 'The certificate',
};

const round = (v: number, digits: number) => Number(v.toFixed(digits)).toString();

export const formatValue = (metric: AlertMetric, value: number, rule: Pick<RuleData, 'forMinutes'>): string => {
  switch (metric) {
    case 'cpu':
      return `${round(value, 2)} cores`;
    case 'memory':
      return `${Math.round(value)} MB`;
    case 'restarts':
      return `${value} in ${round(rule.forMinutes, 2)} min`;
    case 'host-disk':
      return `${round(value, 1)}% used`;
    case 'certificate-expiry':
      return `${round(value, 1)} days left`;
    case 'deployment-failed':
      return 'failed';
  }
};

/** Certificates alert when fewer days are left than the threshold; everything else when above it. */
export const breaches = (rule: Pick<RuleData, 'metric' | 'threshold'>, value: number): boolean =>
  rule.metric === 'certificate-expiry' ? value < rule.threshold : value > rule.threshold;

/** A restart count is already a window (forMinutes long): it fires at once; the rest must stay past the threshold forMinutes. */
const holdMs = (rule: RuleData) => (rule.metric === 'restarts' ? 0 : rule.forMinutes * 60_000);

/**
 * One evaluation of a rule: which subjects fire (past the threshold since at least forMinutes ago)
 * and which resolve (back on the right side, or no longer measured: the service stopped or went).
 * `pastSince` (subject → first time seen past the threshold, ms) is the evaluator's memory between
 * rounds and is updated here; `open` are the rule's alerts still firing.
 */
export const evaluateRule = (rule: RuleData, readings: Reading[], open: Record<string, OpenAlert>, pastSince: Map<string, number>, now: number): Decision[] => {
  if (rule.metric === 'deployment-failed') return [];
  const what = label[rule.metric];
  const decisions: Decision[] = [];
  const seen = new Set<string>();
  for (const r of readings) {
    seen.add(r.subject);
    const value = formatValue(rule.metric, r.value, rule);
    const threshold = formatValue(rule.metric, rule.threshold, rule);
    const of = ` of ${r.name}`;
    if (breaches(rule, r.value)) {
      const since = pastSince.get(r.subject) ?? now;
      pastSince.set(r.subject, since);
      if (!open[r.subject] && now - since >= holdMs(rule)) {
        const held = holdMs(rule) > 0 ? ` for ${round(rule.forMinutes, 2)} min` : '';
        const side = rule.metric === 'certificate-expiry' ? 'below' : 'above';
        decisions.push({ kind: 'fire', subject: r.subject, serviceId: r.serviceId, value: r.value, message: `${what}${of}: ${value}, ${side} the threshold of ${threshold}${held}` });
      }
    } else {
      pastSince.delete(r.subject);
      if (open[r.subject]) decisions.push({ kind: 'resolve', subject: r.subject, serviceId: r.serviceId, value: r.value, message: `${what}${of} is back to ${value} (threshold ${threshold})` });
    }
  }
  for (const [subject, alert] of Object.entries(open)) {
    if (seen.has(subject)) continue;
    pastSince.delete(subject);
    decisions.push({ kind: 'resolve', subject, serviceId: alert.serviceId, value: null, message: `${what} of ${subject} is no longer measured (stopped or removed)` });
  }
  return decisions;
};
