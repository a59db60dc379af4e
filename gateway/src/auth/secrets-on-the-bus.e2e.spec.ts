import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { busCredentials } from '@slipway/messaging';
import { GraphqlTestClient, infraEnv, startPlatformProcess, startPlatformProcesses, waitUntil, type PlatformProcess } from '@slipway/testing';

/**
 * security: no secret crosses the bus in clear. The gateway seals what people type for the one
 * service that opens it (env values: deploy; git credentials: build; webhook secrets: the gateway)
 * before any command carries it, so neither the commands nor the events they cause hold it. Before,
 * `set-env-var` carried the value in clear and anyone listening on platform.*.commands.> read it.
 */
describe('security: secrets are sealed before they reach the bus', () => {
  const processes: PlatformProcess[] = [];
  let owner: GraphqlTestClient;
  let nc: NatsConnection;
  const heard: { subject: string; data: string }[] = [];

  beforeAll(async () => {
    processes.push(...(await startPlatformProcesses(['project', 'metrics'])));
    const gateway = await startPlatformProcess('gateway', { waitForReady: false });
    processes.push(gateway);
    await waitUntil('the gateway to be ready', async () => ((await gateway.health()).body.gateway as { status: string }).status === 'ready', 30_000);
    owner = new GraphqlTestClient(gateway.port);
    await owner.signInAsOwner();
    // Everything published on the platform's subjects while the test runs: commands, events, views.
    nc = await connect({ servers: infraEnv().NATS_URL, ...busCredentials('operator') });
    nc.subscribe('platform.>', { callback: (_err, m) => void heard.push({ subject: m.subject, data: m.string() }) });
    await nc.flush();
  }, 120_000);

  afterAll(async () => {
    await owner?.close();
    await nc?.close();
    await Promise.all(processes.map((p) => p.stop()));
  });

  it('carries env values, git tokens and webhook secrets only sealed, each for its opener', async () => {
    const token = `ghp_${randomUUID().replace(/-/g, '')}`;
    const value = `postgres://app:${randomUUID()}@db/app`;
    const { createProject } = await owner.request<{ createProject: { id: string } }>(`mutation { createProject(input: { name: "e2e-sealed-${randomUUID().slice(0, 6)}" }) { id } }`);
    const { createService } = await owner.request<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
      i: { projectId: createProject.id, name: 'web', port: 3000, source: { git: { url: 'https://git.example/shop.git', ref: 'main', token } } },
    });
    await owner.request('mutation($i: SetEnvVarInput!) { setEnvVar(input: $i) { scope } }', { i: { serviceId: createService.id, key: 'DATABASE_URL', value, secret: true } });
    const { rotateWebhookSecret: webhookSecret } = await owner.request<{ rotateWebhookSecret: string }>(`mutation { rotateWebhookSecret(projectId: "${createProject.id}") }`);
    // Alert channels (issue 13): a Slack URL is a credential, a webhook's signing key too; both sealed for the metrics service.
    const slackUrl = `https://hooks.slack.test/services/T000/B000/${randomUUID().replace(/-/g, '')}`;
    await owner.request('mutation($p: ID!, $u: String!) { createNotificationChannel(projectId: $p, input: { kind: SLACK, url: $u }) { id } }', { p: createProject.id, u: slackUrl });
    const { createNotificationChannel: hook } = await owner.request<{ createNotificationChannel: { secret: string } }>(
      'mutation($p: ID!) { createNotificationChannel(projectId: $p, input: { kind: WEBHOOK, url: "https://hooks.example.test/slipway" }) { secret } }',
      { p: createProject.id },
    );
    await waitUntil('the project service to have recorded the secret variable', () => heard.some((m) => m.subject.startsWith('platform.project.events.') && m.data.includes('DATABASE_URL')), 10_000);

    expect(webhookSecret).toMatch(/^[0-9a-f]{64}$/);
    for (const secret of [token, value, webhookSecret, slackUrl, hook.secret]) expect(heard.filter((m) => m.data.includes(secret)).map((m) => m.subject)).toEqual([]);
    const sealedFor = (opener: string) => heard.some((m) => m.subject.startsWith('platform.project.') && m.data.includes(`"alg":"x25519-aes-256-gcm","for":"${opener}"`));
    expect({ deploy: sealedFor('deploy'), build: sealedFor('build'), gateway: sealedFor('gateway') }).toEqual({ deploy: true, build: true, gateway: true });
    const sealedForMetrics = heard.filter((m) => m.subject.startsWith('platform.metrics.') && m.data.includes('"alg":"x25519-aes-256-gcm","for":"metrics"'));
    expect(sealedForMetrics.length).toBeGreaterThanOrEqual(2);
  });
});
