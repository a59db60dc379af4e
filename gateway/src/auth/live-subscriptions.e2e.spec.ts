import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { logSubject } from '@slipway/proto';
import { GraphqlTestClient, infraEnv, startPlatformProcess, startPlatformProcesses, waitUntil, type PlatformProcess } from '@slipway/testing';
import { busCredentials } from '@slipway/messaging';

/**
 * security: a live subscription follows its subscriber's role. A member removed from a project, or
 * demoted below what the subscription needs, gets nothing more from it, however long it stays open.
 */
describe('security: live subscriptions end with the right to them', () => {
  const processes: PlatformProcess[] = [];
  const clients: GraphqlTestClient[] = [];
  let owner: GraphqlTestClient;
  let port: number;
  let nc: NatsConnection;
  let projectId: string;
  let deploymentId: string;
  const client = () => {
    const c = new GraphqlTestClient(port);
    clients.push(c);
    return c;
  };
  /** What a build or deploy service does for each line: a plain publish on the deployment's log subject. */
  const say = (message: string) => nc.publish(logSubject(deploymentId), JSON.stringify({ timestamp: new Date().toISOString(), stream: 'system', message }));

  beforeAll(async () => {
    processes.push(...(await startPlatformProcesses(['project', 'deploy'])));
    const gateway = await startPlatformProcess('gateway', { waitForReady: false });
    processes.push(gateway);
    port = gateway.port;
    await waitUntil('the gateway to be ready', async () => ((await gateway.health()).body.gateway as { status: string }).status === 'ready', 30_000);
    owner = client();
    await owner.signInAsOwner();
    nc = await connect({ servers: infraEnv().NATS_URL, ...busCredentials('operator') });
    projectId = (await owner.request<{ createProject: { id: string } }>(`mutation { createProject(input: { name: "e2e-live-${randomUUID().slice(0, 6)}" }) { id } }`)).createProject.id;
    const serviceId = (
      await owner.request<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
        i: { projectId, name: 'web', port: 3000, source: { image: { ref: `${infraEnv().REGISTRY}/e2e-live/app:none` } } },
      })
    ).createService.id;
    // No build service runs: the deployment stays queued, and its log is what the test says.
    deploymentId = (await owner.request<{ deployService: { id: string } }>(`mutation { deployService(serviceId: "${serviceId}") { id } }`)).deployService.id;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await nc?.close();
    await Promise.all(processes.map((p) => p.stop()));
  });

  const member = async (role: 'DEVELOPER' | 'ADMIN') => {
    const account = { email: `live-${randomUUID().slice(0, 8)}@slipway.test`, password: 'member-password-1' };
    const { inviteMember } = await owner.request<{ inviteMember: { code: string } }>(
      `mutation { inviteMember(projectId: "${projectId}", email: "${account.email}", role: ${role}) { code } }`,
    );
    const c = client();
    await c.signUp(account.email, account.password, inviteMember.code);
    const { me } = await c.request<{ me: { id: string } }>('{ me { id } }');
    const lines: string[] = [];
    const errors: string[] = [];
    c.subscribe<{ deploymentLogs: { message: string } }>(
      `subscription { deploymentLogs(deploymentId: "${deploymentId}") { message } }`,
      {},
      (v) => lines.push(v.deploymentLogs.message),
      (err) => errors.push(JSON.stringify(err)),
    );
    return { c, userId: me.id, lines, errors };
  };

  it('stops a removed member\u2019s live log at once, and says why', async () => {
    const mia = await member('DEVELOPER');
    await waitUntil('the first line to reach the member', async () => (say('before removal'), mia.lines.includes('before removal')), 15_000, 300);
    await owner.request(`mutation { removeMember(projectId: "${projectId}", userId: "${mia.userId}") }`);
    // The gateway has heard it when the project is gone from the member's own view.
    await waitUntil('the removal to reach the gateway', async () => (await mia.c.request<{ projects: { id: string }[] }>('{ projects { id } }')).projects.every((p) => p.id !== projectId), 10_000, 100);
    for (let i = 1; i <= 6; i++) say(`after removal ${i}`);
    await waitUntil('the subscription to end with the refusal', () => mia.errors.length > 0, 10_000, 100);
    expect(mia.lines.filter((l) => l.startsWith('after removal'))).toEqual([]);
    expect(mia.errors[0]).toMatch(/not a member of project/);
  });

  it('keeps streaming to a member who still may read the log', async () => {
    const ann = await member('ADMIN');
    await waitUntil('a line to reach the admin', async () => (say('for the admin'), ann.lines.includes('for the admin')), 15_000, 300);
    expect(ann.errors).toEqual([]);
  });
});
