import { deciderSpec } from '@slipway/testing';
import { alertRuleDecider, type AlertRuleEvent, type RuleData } from './alert-rule.decider';

const now = '2026-11-30T10:00:00.000Z';
const rule: Omit<RuleData, 'createdAt'> = { ruleId: 'p_1-ar-1', projectId: 'p_1', metric: 'cpu', threshold: 0.5, forMinutes: 1, serviceId: null, channelIds: ['p_1-nc-1'] };
const created: AlertRuleEvent = { type: 'AlertRuleCreated', data: { ...rule, createdAt: now } };
const measured = { subject: 's_1', serviceId: 's_1', value: 0.9, message: 'CPU of web: 0.9 cores' };
const fired: AlertRuleEvent = { type: 'AlertFired', data: { alertId: 'al_1', ruleId: rule.ruleId, projectId: 'p_1', metric: 'cpu', serviceId: 's_1', subject: 's_1', value: 0.9, threshold: 0.5, message: measured.message, firedAt: now } };
const { given } = deciderSpec(alertRuleDecider);

describe('alert rule', () => {
  it('is created once; a repeated command adds nothing', () => {
    given([]).when({ type: 'CreateAlertRule', data: rule, now }).then([created]);
    given([created]).when({ type: 'CreateAlertRule', data: rule, now }).then([]);
  });

  it('fires once per subject while it stays open', () => {
    given([created]).when({ type: 'FireAlert', data: { ...measured, alertId: 'al_1' }, now }).then([fired]);
    given([created, fired]).when({ type: 'FireAlert', data: { ...measured, alertId: 'al_2' }, now }).then([]);
  });

  it('resolves only what fired, under the alert id it fired with', () => {
    const later = '2026-11-30T10:05:00.000Z';
    given([created]).when({ type: 'ResolveAlert', data: { subject: 's_1', serviceId: 's_1', value: 0.1, message: 'back' }, now: later }).then([]);
    given([created, fired])
      .when({ type: 'ResolveAlert', data: { subject: 's_1', serviceId: 's_1', value: 0.1, message: 'back' }, now: later })
      .then([{ type: 'AlertResolved', data: { alertId: 'al_1', ruleId: rule.ruleId, projectId: 'p_1', metric: 'cpu', serviceId: 's_1', subject: 's_1', value: 0.1, reason: 'recovered', message: 'back', resolvedAt: later } }]);
  });

  it('resolves the open alerts when deleted, and fires nothing afterwards', () => {
    const deletedAt = '2026-11-30T11:00:00.000Z';
    const deleted: AlertRuleEvent = { type: 'AlertRuleDeleted', data: { ruleId: rule.ruleId, deletedAt } };
    given([created, fired])
      .when({ type: 'DeleteAlertRule', data: { ruleId: rule.ruleId }, now: deletedAt })
      .then([
        { type: 'AlertResolved', data: { alertId: 'al_1', ruleId: rule.ruleId, projectId: 'p_1', metric: 'cpu', serviceId: 's_1', subject: 's_1', value: null, reason: 'rule-deleted', message: 'The alert rule was deleted', resolvedAt: deletedAt } },
        deleted,
      ]);
    given([created, deleted]).when({ type: 'FireAlert', data: { ...measured, alertId: 'al_3' }, now }).then([]);
    given([]).when({ type: 'DeleteAlertRule', data: { ruleId: 'p_1-ar-9' }, now }).thenThrows(/No alert rule p_1-ar-9/);
  });
});
