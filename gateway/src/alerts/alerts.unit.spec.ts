import type { StoredEvent } from '@slipway/event-store';
import { alertRuleInput, channelInput, smtpInput } from './alerts-input';
import { alertsProjection, notificationChannelsProjection } from './alerts.projection';

const event = (type: string, data: Record<string, unknown>) => ({ type, data }) as unknown as StoredEvent;

describe('alert inputs', () => {
  it('keeps a webhook URL for sealing and shows only its host', () => {
    expect(channelInput({ kind: 'SLACK', url: ' https://hooks.slack.com/services/T0/B0/xyz ' })).toEqual({ kind: 'slack', url: 'https://hooks.slack.com/services/T0/B0/xyz', email: null, label: 'hooks.slack.com' });
    expect(() => channelInput({ kind: 'WEBHOOK', url: 'ftp://x.example' })).toThrow(/must start with https:\/\//);
    expect(() => channelInput({ kind: 'WEBHOOK', url: 'https://u:p@x.example' })).toThrow(/no user name or password/);
    expect(() => channelInput({ kind: 'EMAIL', email: 'not an address' })).toThrow(/Give the email address/);
  });

  it('takes a rule in its own units, forMinutes 0 or a fraction included', () => {
    expect(alertRuleInput({ metric: 'HOST_DISK', threshold: 90, forMinutes: 0, channelIds: ['a', 'a'] })).toEqual({ metric: 'host-disk', threshold: 90, forMinutes: 0, serviceId: null, channelIds: ['a'] });
    expect(alertRuleInput({ metric: 'DEPLOYMENT_FAILED', channelIds: ['a'] })).toMatchObject({ threshold: 0, forMinutes: 5 });
    expect(() => alertRuleInput({ metric: 'MEMORY', channelIds: ['a'] })).toThrow('Give a threshold of 0 or more, in MB, e.g. 400');
    expect(() => alertRuleInput({ metric: 'HOST_DISK', threshold: 120, channelIds: ['a'] })).toThrow(/at most 100/);
    expect(() => alertRuleInput({ metric: 'CPU', threshold: 1, channelIds: [] })).toThrow(/at least one notification channel/);
  });

  it('sends an SMTP password only over TLS', () => {
    expect(() => smtpInput({ host: 'smtp.example.com', port: 25, security: 'NONE', from: 'a@example.com', username: 'u', password: 'p' })).toThrow(/only over TLS/);
    expect(smtpInput({ host: 'SMTP.example.com', port: 587, security: 'STARTTLS', from: 'Slipway <a@example.com>', username: 'u', password: 'p' })).toMatchObject({ host: 'smtp.example.com', security: 'starttls' });
  });
});

describe('alert read models', () => {
  it('follows an alert from firing to resolving', () => {
    const fired = alertsProjection.evolve(null, event('AlertFired', { alertId: 'al_1', ruleId: 'r', projectId: 'p', metric: 'cpu', serviceId: 's', subject: 's', value: 0.9, threshold: 0.5, message: 'high', firedAt: 't1' }));
    expect(fired).toMatchObject({ id: 'al_1', status: 'FIRING', value: 0.9 });
    expect(alertsProjection.evolve(fired, event('AlertResolved', { alertId: 'al_1', value: null, message: 'rule deleted', resolvedAt: 't2' }))).toMatchObject({ status: 'RESOLVED', value: 0.9, resolvedAt: 't2', resolvedMessage: 'rule deleted' });
  });

  it('keeps a channel without its URL or secret, with its last delivery', () => {
    const sealed = { alg: 'x25519-aes-256-gcm', for: 'metrics', epk: 'e', iv: 'i', tag: 't', data: 'd' };
    const created = notificationChannelsProjection.evolve(null, event('NotificationChannelCreated', { channelId: 'c', projectId: 'p', kind: 'webhook', label: 'h.example', url: sealed, email: null, secret: sealed, createdAt: 't0' }));
    expect(JSON.stringify(created)).not.toContain('x25519');
    expect(notificationChannelsProjection.evolve(created, event('NotificationFailed', { channelId: 'c', outcome: 'test', reason: 'answered 500', failedAt: 't1' }))?.lastDelivery).toEqual({ outcome: 'test', ok: false, status: null, reason: 'answered 500', at: 't1' });
  });
});
