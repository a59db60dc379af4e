import type { RuleData } from './alert-rule.decider';
import { evaluateRule, type Reading } from './alert-evaluation';
import { certificateDaysLeft, containerQuery } from './alert-readings';
import { emailContent, signBody, webhookBody, type AlertNotice } from './notification-content';
import { renderEmail } from './smtp-client.adapter';
import type { StoredEvent } from '@slipway/event-store';

const rule: RuleData = { ruleId: 'p_1-ar-1', projectId: 'p_1', metric: 'cpu', threshold: 0.5, forMinutes: 1, serviceId: null, channelIds: ['c'], createdAt: '2026-11-30T10:00:00.000Z' };
const web = (value: number): Reading => ({ subject: 's_1', serviceId: 's_1', name: 'web', value });
const t0 = Date.parse('2026-11-30T10:00:00.000Z');

describe('evaluating a rule', () => {
  it('fires only after the value stayed above the threshold for forMinutes, then resolves when it drops', () => {
    const since = new Map<string, number>();
    expect(evaluateRule(rule, [web(0.9)], {}, since, t0)).toEqual([]);
    expect(evaluateRule(rule, [web(0.9)], {}, since, t0 + 45_000)).toEqual([]);
    const [fire] = evaluateRule(rule, [web(0.93)], {}, since, t0 + 60_000);
    expect(fire).toEqual({ kind: 'fire', subject: 's_1', serviceId: 's_1', value: 0.93, message: 'CPU of web: 0.93 cores, above the threshold of 0.5 cores for 1 min' });
    const open = { s_1: { alertId: 'al_1', serviceId: 's_1', firedAt: '' } };
    expect(evaluateRule(rule, [web(0.95)], open, since, t0 + 75_000)).toEqual([]);
    expect(evaluateRule(rule, [web(0.02)], open, since, t0 + 90_000)).toEqual([
      { kind: 'resolve', subject: 's_1', serviceId: 's_1', value: 0.02, message: 'CPU of web is back to 0.02 cores (threshold 0.5 cores)' },
    ]);
  });

  it('starts counting again when the value dips below in between', () => {
    const since = new Map<string, number>();
    evaluateRule(rule, [web(0.9)], {}, since, t0);
    evaluateRule(rule, [web(0.1)], {}, since, t0 + 30_000);
    expect(evaluateRule(rule, [web(0.9)], {}, since, t0 + 70_000)).toEqual([]);
    expect(evaluateRule(rule, [web(0.9)], {}, since, t0 + 130_000)).toHaveLength(1);
  });

  it('fires at once with forMinutes 0, and resolves a subject no longer measured', () => {
    const now = { ...rule, forMinutes: 0 };
    expect(evaluateRule(now, [web(0.6)], {}, new Map(), t0).map((d) => d.kind)).toEqual(['fire']);
    expect(evaluateRule(now, [], { s_1: { alertId: 'al_1', serviceId: 's_1', firedAt: '' } }, new Map(), t0)).toEqual([
      { kind: 'resolve', subject: 's_1', serviceId: 's_1', value: null, message: 'CPU of s_1 is no longer measured (stopped or removed)' },
    ]);
  });

  it('alerts on certificates with fewer days left than the threshold', () => {
    const certs: RuleData = { ...rule, metric: 'certificate-expiry', threshold: 14, forMinutes: 0 };
    const host = (value: number): Reading => ({ subject: 'shop.example.com', serviceId: 's_1', name: 'shop.example.com (web)', value });
    expect(evaluateRule(certs, [host(30)], {}, new Map(), t0)).toEqual([]);
    expect(evaluateRule(certs, [host(6.5)], {}, new Map(), t0)[0]?.message).toBe('The certificate of shop.example.com (web): 6.5 days left, below the threshold of 14 days left');
    const events = [
      { type: 'CertificateIssued', data: { hostname: 'a.example.com', notAfter: '2026-12-10T10:00:00.000Z' } },
      { type: 'CertificateIssued', data: { hostname: 'a.example.com', notAfter: '2027-02-28T10:00:00.000Z' } },
    ] as unknown as StoredEvent[];
    expect(Math.round(certificateDaysLeft(events, t0).get('a.example.com')!)).toBe(90);
  });

  it('asks VictoriaMetrics per service of the project, or for the one service', () => {
    expect(containerQuery(rule)).toBe('sum by (service) (last_over_time(slipway_container_cpu_cores{project="p_1"}[30s]))');
    expect(containerQuery({ ...rule, metric: 'restarts', threshold: 3, forMinutes: 10, serviceId: 's_1' })).toBe(
      'max by (service) (max_over_time(slipway_container_restarts{project="p_1",service="s_1"}[600s]))',
    );
  });
});

describe('what a notification says', () => {
  const notice: AlertNotice = {
    outcome: 'fired',
    alertId: 'al_1',
    rule: { id: 'p_1-ar-1', metric: 'cpu', threshold: 0.5, forMinutes: 1 },
    project: { id: 'p_1', name: 'shop' },
    service: { id: 's_1', name: 'web' },
    subject: 's_1',
    value: 0.93,
    message: 'CPU of web: 0.93 cores, above the threshold of 0.5 cores for 1 min',
    at: '2026-11-30T10:01:00.000Z',
  };

  it('signs the exact body as the git hosts do (sha256=<hex>)', () => {
    const body = webhookBody(notice);
    expect(JSON.parse(body)).toMatchObject({ type: 'alert.fired', rule: { id: 'p_1-ar-1' }, service: { name: 'web' }, value: 0.93 });
    expect(signBody('s3cret', '{}')).toBe('sha256=adbde1ce40c89c14215687d5d762a47df6dfaefcfad61e2e86718ffc8498571b'); // openssl dgst -sha256 -hmac s3cret
    expect(signBody('s3cret', body)).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('writes an email with CRLF lines and a doubled leading dot', () => {
    const { subject, text } = emailContent(notice);
    expect(subject).toBe('[FIRING] shop/web: CPU of web: 0.93 cores, above the threshold of 0.5 cores for 1 min');
    const raw = renderEmail({ from: 'Slipway <alerts@example.com>', to: 'ops@example.com', subject, text: `${text}\n.hidden` }, new Date(t0));
    expect(raw).toMatch(/^From: Slipway <alerts@example.com>\r\nTo: ops@example.com\r\nSubject: \[FIRING\] shop\/web/);
    expect(raw).toContain('\r\n..hidden');
    expect(raw).not.toMatch(/[^\r]\n/);
  });
});
