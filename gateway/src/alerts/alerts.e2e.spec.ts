import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import Dockerode from 'dockerode';
import { busCredentials } from '@slipway/messaging';
import { buildTestApp, infraEnv, screenshotBothWidths, startMailpit, startSignedInConsole, waitUntil, type Mailpit, type SignedInConsole, type SignedInPlatform } from '@slipway/testing';

/**
 * Alerts end to end: an app that burns a CPU fires a CPU rule into the test's own webhook receiver
 * (signed with the channel's secret) and into Mailpit as an email, pushes it to the console's
 * subscription, and resolves on both when the load stops. The channel's URL and secret cross the
 * bus only sealed. Timings are printed (burn start → webhook, → email; load stop → resolved). The
 * console's Alerts page is saved as artifacts/screenshots/alerts-*.png at both widths.
 */
type Delivery = { at: number; signature: string; event: string; body: string; json: { type: string; rule: { id: string } | null; service: { id: string; name: string } | null; value: number | null; message: string } };

describe('alerts: a CPU rule fires into a webhook and an email, and resolves', () => {
  let platform: SignedInPlatform;
  let signedIn: SignedInConsole;
  let ids = { rule: '', hook: '', mail: '' };
  let mailpit: Mailpit;
  let receiver: Server;
  let nc: NatsConnection;
  let projectId = '';
  const docker = new Dockerode();
  const deliveries: Delivery[] = [];
  const heard: string[] = [];
  const hookPath = `/hooks/${randomUUID()}`;
  const email = `alerts-${randomUUID().slice(0, 8)}@slipway.test`;

  beforeAll(async () => {
    mailpit = await startMailpit();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        if (req.url === hookPath) {
          deliveries.push({ at: Date.now(), signature: String(req.headers['x-slipway-signature']), event: String(req.headers['x-slipway-event']), body, json: JSON.parse(body) });
        }
        res.writeHead(req.url === hookPath ? 204 : 404).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    // Rules are evaluated every 2 s and containers sampled every 3 s here (15 s and 10 s by default).
    signedIn = await startSignedInConsole({ env: { SLIPWAY_ALERTS_EVAL_S: '2', METRICS_INTERVAL_MS: '3000' } });
    ({ platform } = signedIn);
    nc = await connect({ servers: infraEnv().NATS_URL, ...busCredentials('operator') });
    nc.subscribe('platform.>', { callback: (_err, m) => void heard.push(m.string()) });
  }, 300_000);

  afterAll(async () => {
    if (projectId) await platform.api.request('mutation($id: ID!) { deleteProject(id: $id) }', { id: projectId }).catch(() => undefined);
    await nc?.close();
    receiver?.closeAllConnections();
    await new Promise((r) => receiver?.close(r));
    await signedIn?.stop();
    if (projectId) for (const s of await docker.listServices({ filters: { label: [`slipway.project=${projectId}`] } })) await docker.getService(s.ID).remove().catch(() => undefined);
  }, 120_000);

  it('fires when the app burns a CPU past the threshold, resolves when it stops, on every channel', async () => {
    const { api } = platform;
    await api.request('mutation($i: SmtpSettingsInput!) { setSmtpSettings(input: $i) { host passwordSet } }', {
      i: { host: mailpit.smtp.host, port: mailpit.smtp.port, security: 'NONE', from: 'Slipway <alerts@slipway.test>' },
    });
    const image = await buildTestApp(docker, { registry: infraEnv().REGISTRY, repository: 'slipway-test/alerts-app', version: 'v1', healthy: true });
    projectId = await platform.createProject(`alerts-${randomUUID().slice(0, 6)}`);
    const { createService } = await api.request<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
      i: { projectId, name: 'web', port: 3000, healthCheckPath: '/healthz', replicas: 1, cpu: 1, memoryMb: 128, source: { image: { ref: image } } },
    });
    const serviceId = createService.id;
    const { deployService } = await api.request<{ deployService: { id: string } }>('mutation($s: ID!) { deployService(serviceId: $s) { id } }', { s: serviceId });
    let url = '';
    await waitUntil('the deployment to succeed', async () => {
      const { deployment } = await api.request<{ deployment: { status: string; error: string | null; url: string | null } }>('query($d: ID!) { deployment(id: $d) { status error url } }', { d: deployService.id });
      if (deployment.status === 'FAILED') throw new Error(`the deployment failed: ${deployment.error}`);
      url = deployment.url ?? '';
      return deployment.status === 'SUCCEEDED';
    }, 240_000, 500);

    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}${hookPath}`;
    const { createNotificationChannel: hook } = await api.request<{ createNotificationChannel: { id: string; secret: string; channel: { kind: string; label: string } } }>(
      'mutation($p: ID!, $u: String!) { createNotificationChannel(projectId: $p, input: { kind: WEBHOOK, url: $u }) { id secret channel { kind label } } }',
      { p: projectId, u: hookUrl },
    );
    expect(hook.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(hook.channel).toEqual({ kind: 'WEBHOOK', label: new URL(hookUrl).host });
    const { createNotificationChannel: mail } = await api.request<{ createNotificationChannel: { id: string; secret: string | null } }>(
      'mutation($p: ID!, $e: String!) { createNotificationChannel(projectId: $p, input: { kind: EMAIL, email: $e }) { id secret } }',
      { p: projectId, e: email },
    );
    expect(mail.secret).toBeNull();
    const signed = (d: Delivery) => d.signature === `sha256=${createHmac('sha256', hook.secret).update(d.body).digest('hex')}`;

    const { testNotificationChannel } = await api.request<{ testNotificationChannel: { ok: boolean; status: number } }>('mutation($i: ID!) { testNotificationChannel(id: $i) { ok status reason } }', { i: hook.id });
    expect(testNotificationChannel).toMatchObject({ ok: true, status: 204 });
    expect(deliveries.at(-1)).toMatchObject({ event: 'alert.test', json: { type: 'alert.test' } });
    expect(signed(deliveries.at(-1)!)).toBe(true);

    await expect(
      api.request('mutation($p: ID!) { createAlertRule(projectId: $p, input: { metric: CPU, channelIds: ["x"] }) { id } }', { p: projectId }),
    ).rejects.toThrow(/Give a threshold of 0 or more, in cores/);
    const { createAlertRule: rule } = await api.request<{ createAlertRule: { id: string; metric: string; forMinutes: number } }>(
      'mutation($p: ID!, $i: AlertRuleInput!) { createAlertRule(projectId: $p, input: $i) { id metric forMinutes threshold serviceId } }',
      { p: projectId, i: { metric: 'CPU', threshold: 0.5, forMinutes: 0.25, serviceId, channelIds: [hook.id, mail.id] } },
    );
    expect(rule).toMatchObject({ metric: 'CPU', forMinutes: 0.25 });

    const pushed: { status: string; message: string }[] = [];
    const unsubscribe = api.subscribe<{ alertNotifications: { status: string; message: string } }>(
      'subscription($p: ID!) { alertNotifications(projectId: $p) { id status message value } }',
      { p: projectId },
      (v) => void pushed.push(v.alertNotifications),
    );
    // Idle for a while first: nothing fires.
    await new Promise((r) => setTimeout(r, 8_000));
    expect(deliveries.filter((d) => d.event !== 'alert.test')).toEqual([]);

    const burnStarted = Date.now();
    expect((await platform.https.get(`${url.replace(/\/$/, '')}/burn?seconds=300`)).body).toMatch(/burning/);
    await waitUntil('the firing webhook', () => deliveries.some((d) => d.event === 'alert.fired'), 150_000, 200);
    const fired = deliveries.find((d) => d.event === 'alert.fired')!;
    await waitUntil('the firing email in Mailpit', async () => (await mailpit.messagesTo(email)).some((m) => m.Subject.startsWith('[FIRING]')), 30_000, 200);
    const emailAt = Date.now();
    console.log(`burn start → webhook ${((fired.at - burnStarted) / 1000).toFixed(1)} s, → email in Mailpit ≤ ${((emailAt - burnStarted) / 1000).toFixed(1)} s (forMinutes 0.25 = 15 s)`);
    expect(signed(fired)).toBe(true);
    expect(fired.json).toMatchObject({ type: 'alert.fired', rule: { id: rule.id }, service: { id: serviceId, name: 'web' } });
    expect(fired.json.value).toBeGreaterThan(0.5);
    expect(fired.at - burnStarted).toBeGreaterThanOrEqual(15_000);
    const { alerts: firing } = await api.request<{ alerts: { status: string; subject: string }[] }>('query($p: ID!) { alerts(projectId: $p) { status subject message } }', { p: projectId });
    expect(firing).toEqual([expect.objectContaining({ status: 'FIRING', subject: serviceId })]);

    const stopped = Date.now();
    await platform.https.get(`${url.replace(/\/$/, '')}/burn/stop`);
    await waitUntil('the resolving webhook', () => deliveries.some((d) => d.event === 'alert.resolved'), 90_000, 200);
    const resolved = deliveries.find((d) => d.event === 'alert.resolved')!;
    await waitUntil('the resolving email', async () => (await mailpit.messagesTo(email)).some((m) => m.Subject.startsWith('[RESOLVED]')), 30_000, 200);
    console.log(`load stop → resolved webhook ${((resolved.at - stopped) / 1000).toFixed(1)} s, → email ≤ ${((Date.now() - stopped) / 1000).toFixed(1)} s`);
    expect(signed(resolved)).toBe(true);
    expect(resolved.json.value).toBeLessThanOrEqual(0.5);
    const [firedMail] = (await mailpit.messagesTo(email)).filter((m) => m.Subject.startsWith('[FIRING]'));
    expect(await mailpit.text(firedMail.ID)).toMatch(/Service: web/);
    await waitUntil('both pushed to the subscription', () => pushed.some((p) => p.status === 'RESOLVED'), 10_000);
    unsubscribe();
    expect(pushed.map((p) => p.status)).toEqual(['FIRING', 'RESOLVED']);
    const { notificationChannels } = await api.request<{ notificationChannels: { id: string; lastDelivery: { outcome: string; ok: boolean } }[] }>(
      'query($p: ID!) { notificationChannels(projectId: $p) { id lastDelivery { outcome ok status reason } } }',
      { p: projectId },
    );
    expect(notificationChannels.map((c) => c.lastDelivery)).toEqual([expect.objectContaining({ outcome: 'resolved', ok: true }), expect.objectContaining({ outcome: 'resolved', ok: true })]);

    // The URL and the secret crossed the bus only sealed for the metrics service.
    expect(heard.filter((m) => m.includes(hookPath) || m.includes(hook.secret))).toEqual([]);
    expect(heard.some((m) => m.includes('"alg":"x25519-aes-256-gcm","for":"metrics"'))).toBe(true);

    ids = { rule: rule.id, hook: hook.id, mail: mail.id };
  }, 600_000);

  it('shows the alerts, channels and rules on the project\'s Alerts page', async () => {
    const { page, base } = signedIn;
    await page.goto(`${base}/projects/${projectId}/alerts`);
    const alerts = page.getByRole('region', { name: 'Recent alerts' });
    await alerts.getByText(/^CPU of web: .* cores, above the threshold of 0.5 cores for 0.25 min$/).waitFor({ timeout: 20_000 });
    await expect(alerts.getByLabel('Resolved').count()).resolves.toBe(1);
    await expect(page.getByRole('region', { name: 'Notification channels' }).getByText(email).count()).resolves.toBe(1);
    await expect(page.getByRole('region', { name: 'Alert rules' }).textContent()).resolves.toMatch(/cpu past 0.5 for 0.25 min on web/);
    await screenshotBothWidths(page, 'alerts');
  }, 120_000);

  it('fires a deployment-failed rule when a deployment fails', async () => {
    const { api } = platform;
    const { createAlertRule: rule } = await api.request<{ createAlertRule: { id: string } }>(
      'mutation($p: ID!, $i: AlertRuleInput!) { createAlertRule(projectId: $p, input: $i) { id } }',
      { p: projectId, i: { metric: 'DEPLOYMENT_FAILED', channelIds: [ids.hook] } },
    );
    const { createService } = await api.request<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
      i: { projectId, name: 'broken', port: 80, source: { image: { ref: `${infraEnv().REGISTRY}/slipway-test/none:missing` } } },
    });
    const failedAt = Date.now();
    await api.request('mutation($s: ID!) { deployService(serviceId: $s) { id } }', { s: createService.id });
    await waitUntil('the deployment-failed webhook', () => deliveries.some((d) => d.event === 'alert.fired' && d.json.rule?.id === rule.id), 90_000, 200);
    const fired = deliveries.find((d) => d.event === 'alert.fired' && d.json.rule?.id === rule.id)!;
    console.log(`deployment failed → webhook within ${((fired.at - failedAt) / 1000).toFixed(1)} s of the deploy request`);
    expect(fired.json).toMatchObject({ service: { id: createService.id, name: 'broken' } });
    expect(fired.json.message).toMatch(/^Deployment .+ failed: /);
    expect(await api.request('mutation($i: ID!) { deleteAlertRule(id: $i) }', { i: rule.id })).toEqual({ deleteAlertRule: true });
  }, 120_000);

  it('deletes the rule and the channels', async () => {
    const { api } = platform;
    expect(await api.request('mutation($i: ID!) { deleteAlertRule(id: $i) }', { i: ids.rule })).toEqual({ deleteAlertRule: true });
    await api.request('mutation($i: ID!) { deleteNotificationChannel(id: $i) }', { i: ids.hook });
    await api.request('mutation($i: ID!) { deleteNotificationChannel(id: $i) }', { i: ids.mail });
    expect(await api.request('query($p: ID!) { alertRules(projectId: $p) { id } notificationChannels(projectId: $p) { id } }', { p: projectId })).toEqual({ alertRules: [], notificationChannels: [] });
  });
});
