import { randomUUID } from 'node:crypto';
import { GraphqlTestClient, infraEnv, startPlatformProcess, startPlatformProcesses, waitUntil, type PlatformProcess } from '@slipway/testing';

/**
 * Every operation of the schema, called by every kind of principal against the real gateway. The
 * expectations below are written independently of the gateway's rules: an operation added to the
 * schema without an expectation here fails the test, and so does a rule that lets in one role too
 * many or too few.
 */
type Level = 'public' | 'signed-in' | 'viewer' | 'developer' | 'admin' | 'owner' | 'instance-owner';
const principals = ['anonymous', 'outsider', 'viewer', 'developer', 'admin', 'owner', 'instance-owner'] as const;
type PrincipalName = (typeof principals)[number];

/** Who may call what: the least principal that is allowed. */
const expected: Record<string, Level> = {
  'Query.health': 'public',
  'Query.invitation': 'public',
  'Query.signUpOpen': 'public',
  'Mutation.signUp': 'public',
  'Mutation.signIn': 'public',
  'Query.me': 'signed-in',
  'Query.apiTokens': 'signed-in',
  'Query.projects': 'signed-in',
  'Subscription.projectsChanged': 'signed-in',
  'Mutation.signOut': 'signed-in',
  'Mutation.createApiToken': 'signed-in',
  'Mutation.revokeApiToken': 'signed-in',
  'Query.members': 'viewer',
  'Query.deployment': 'viewer',
  'Query.deployments': 'viewer',
  'Query.deploymentsPage': 'viewer',
  'Query.auditLog': 'viewer',
  'Subscription.deploymentUpdated': 'viewer',
  'Mutation.deployService': 'developer',
  'Mutation.rollbackService': 'developer',
  'Mutation.deployProject': 'developer',
  'Subscription.deploymentLogs': 'developer',
  'Query.deploymentLog': 'developer',
  'Query.serviceLogs': 'developer',
  'Subscription.serviceLogLines': 'developer',
  'Mutation.createService': 'admin',
  'Query.envVars': 'viewer',
  'Mutation.setEnvVar': 'admin',
  'Mutation.deleteEnvVar': 'admin',
  'Mutation.addDomain': 'admin',
  'Mutation.removeDomain': 'admin',
  'Query.volumes': 'viewer',
  'Mutation.addVolume': 'admin',
  'Mutation.removeVolume': 'admin',
  'Query.previewCompose': 'admin',
  'Mutation.importCompose': 'admin',
  'Mutation.updateServiceSettings': 'admin',
  'Mutation.updateService': 'admin',
  'Mutation.restartService': 'developer',
  'Mutation.cancelDeployment': 'developer',
  'Mutation.stopService': 'admin',
  'Mutation.startService': 'admin',
  'Mutation.scaleService': 'admin',
  'Mutation.deleteService': 'admin',
  'Mutation.deleteProject': 'owner',
  'Query.globalEnvVars': 'instance-owner',
  'Query.instanceSettings': 'signed-in',
  'Query.certificates': 'viewer',
  'Query.serviceMetrics': 'viewer',
  'Query.hostMetrics': 'instance-owner',
  'Mutation.setInstanceSettings': 'instance-owner',
  'Mutation.setGlobalEnvVar': 'instance-owner',
  'Mutation.deleteGlobalEnvVar': 'instance-owner',
  'Mutation.inviteMember': 'admin',
  'Mutation.setMemberRole': 'admin',
  'Mutation.removeMember': 'admin',
  'Query.invitations': 'admin',
  'Mutation.revokeInvitation': 'admin',
  'Mutation.rotateWebhookSecret': 'owner',
  'Mutation.createProject': 'instance-owner',
  'Query.previews': 'viewer',
  'Query.preview': 'viewer',
  'Subscription.previewUpdated': 'viewer',
  'Mutation.createPreview': 'developer',
  'Mutation.destroyPreview': 'developer',
  'Mutation.approvePreview': 'admin',
  'Mutation.setPreviewSettings': 'admin',
  'Query.readModels': 'instance-owner',
  'Mutation.rebuildReadModel': 'instance-owner',
  'Query.notificationChannels': 'viewer',
  'Query.alertRules': 'viewer',
  'Query.alerts': 'viewer',
  'Subscription.alertNotifications': 'viewer',
  'Mutation.createNotificationChannel': 'admin',
  'Mutation.deleteNotificationChannel': 'admin',
  'Mutation.testNotificationChannel': 'admin',
  'Mutation.createAlertRule': 'admin',
  'Mutation.deleteAlertRule': 'admin',
  'Query.smtpSettings': 'instance-owner',
  'Mutation.setSmtpSettings': 'instance-owner',
  'Query.projectUsage': 'viewer',
  'Query.defaultProjectQuota': 'signed-in',
  'Mutation.setProjectQuota': 'instance-owner',
  'Mutation.setDefaultProjectQuota': 'instance-owner',
  'Query.cleanupRuns': 'instance-owner',
  'Query.cleanupRun': 'instance-owner',
  'Mutation.runCleanup': 'instance-owner',
  'Query.backups': 'instance-owner',
  'Mutation.createBackup': 'instance-owner',
};

const rank: Record<Level, number> = { public: 0, 'signed-in': 1, viewer: 2, developer: 3, admin: 4, owner: 5, 'instance-owner': 6 };
const standing: Record<PrincipalName, number> = { anonymous: 0, outsider: 1, viewer: 2, developer: 3, admin: 4, owner: 5, 'instance-owner': 6 };
const allowed = (level: Level, who: PrincipalName) => standing[who] >= rank[level];

interface Fixture {
  projectId: string;
  serviceId: string;
  /** Deleted by the first principal allowed to (the others find it gone, which is no refusal). */
  spareServiceId: string;
  deploymentId: string;
  spareMemberId: string;
  removableMemberId: string;
  pendingInvitationId: string;
}

/** One call per operation, on the fixture project; a call by an allowed principal changes nothing that matters. */
const samples = (f: Fixture): Record<string, { query: string; variables?: Record<string, unknown> }> => {
  const unique = () => randomUUID().slice(0, 8);
  return {
    'Query.health': { query: '{ health { status } }' },
    'Query.invitation': { query: 'query($c: String!) { invitation(code: $c) { email } }', variables: { c: 'slw_i_not-a-code' } },
    'Mutation.signUp': { query: 'mutation($e: String!) { signUp(email: $e, password: "long-enough-password") { token } }', variables: { e: `nobody-${unique()}@slipway.test` } },
    'Mutation.signIn': { query: 'mutation($e: String!) { signIn(email: $e, password: "wrong-password-1") { token } }', variables: { e: `nobody-${unique()}@slipway.test` } },
    'Query.signUpOpen': { query: '{ signUpOpen }' },
    'Query.me': { query: '{ me { id email memberships { projectId role } } }' },
    'Query.apiTokens': { query: '{ apiTokens { id name } }' },
    'Subscription.projectsChanged': { query: 'subscription { projectsChanged { at } }' },
    'Query.projects': { query: '{ projects { id name services { id } } }' },
    'Mutation.signOut': { query: 'mutation { signOut }' },
    'Mutation.createApiToken': { query: 'mutation { createApiToken(name: "matrix", scopes: [READ]) { token } }' },
    'Mutation.revokeApiToken': { query: 'mutation { revokeApiToken(id: "tok_none") }' },
    'Query.members': { query: 'query($p: ID!) { members(projectId: $p) { email role } }', variables: { p: f.projectId } },
    'Query.deployment': { query: 'query($d: ID!) { deployment(id: $d) { id status } }', variables: { d: f.deploymentId } },
    'Query.deployments': { query: 'query($s: ID!) { deployments(serviceId: $s) { id } }', variables: { s: f.serviceId } },
    'Query.certificates': { query: 'query($s: ID!) { certificates(serviceId: $s) { hostname } }', variables: { s: f.serviceId } },
    'Query.deploymentsPage': { query: 'query($s: ID!) { deploymentsPage(serviceId: $s, first: 5) { nextCursor } }', variables: { s: f.serviceId } },
    'Query.auditLog': { query: 'query($p: ID!) { auditLog(projectId: $p, first: 5) { entries { type } } }', variables: { p: f.projectId } },
    'Subscription.deploymentUpdated': { query: 'subscription($d: ID!) { deploymentUpdated(deploymentId: $d) { id status } }', variables: { d: f.deploymentId } },
    'Query.deploymentLog': { query: 'query($d: ID!) { deploymentLog(deploymentId: $d, first: 10) { lines { message } } }', variables: { d: f.deploymentId } },
    'Subscription.deploymentLogs': { query: 'subscription($d: ID!) { deploymentLogs(deploymentId: $d) { message } }', variables: { d: f.deploymentId } },
    'Query.serviceLogs': { query: 'query($s: ID!) { serviceLogs(serviceId: $s, first: 5) { lines { message } nextCursor } }', variables: { s: f.serviceId } },
    'Subscription.serviceLogLines': { query: 'subscription($s: ID!) { serviceLogLines(serviceId: $s) { message } }', variables: { s: f.serviceId } },
    // The failed fixture deployment cannot be rolled back to: allowed callers get a refusal that changes nothing.
    'Mutation.rollbackService': { query: 'mutation($s: ID!, $d: ID!) { rollbackService(serviceId: $s, toDeploymentId: $d) { id } }', variables: { s: f.serviceId, d: f.deploymentId } },
    'Mutation.deployService': { query: 'mutation($s: ID!) { deployService(serviceId: $s) { id } }', variables: { s: f.serviceId } },
    // Its services' image is missing: each deployment fails at once, and nothing runs.
    'Mutation.deployProject': { query: 'mutation($p: ID!) { deployProject(projectId: $p) { id } }', variables: { p: f.projectId } },
    'Mutation.createService': {
      query: 'mutation($i: CreateServiceInput!) { createService(input: $i) { id } }',
      variables: { i: { projectId: f.projectId, name: `svc-${unique()}`, port: 80, source: { image: { ref: `${infraEnv().REGISTRY}/slipway-test/none:missing` } } } },
    },
    'Mutation.inviteMember': { query: 'mutation($p: ID!, $e: String!) { inviteMember(projectId: $p, email: $e, role: VIEWER) { email } }', variables: { p: f.projectId, e: `invitee-${unique()}@slipway.test` } },
    'Mutation.setMemberRole': { query: 'mutation($p: ID!, $u: ID!) { setMemberRole(projectId: $p, userId: $u, role: VIEWER) { role } }', variables: { p: f.projectId, u: f.spareMemberId } },
    'Mutation.removeMember': { query: 'mutation($p: ID!, $u: ID!) { removeMember(projectId: $p, userId: $u) }', variables: { p: f.projectId, u: f.removableMemberId } },
    'Query.invitations': { query: 'query($p: ID!) { invitations(projectId: $p) { id email } }', variables: { p: f.projectId } },
    // The first allowed caller withdraws it; withdrawing it again changes nothing.
    'Mutation.revokeInvitation': { query: 'mutation($p: ID!, $i: ID!) { revokeInvitation(projectId: $p, invitationId: $i) }', variables: { p: f.projectId, i: f.pendingInvitationId } },
    'Query.envVars': { query: 'query($s: ID!) { envVars(serviceId: $s) { __typename } }', variables: { s: f.serviceId } },
    'Mutation.setEnvVar': { query: 'mutation($s: ID!) { setEnvVar(input: { serviceId: $s, key: "MATRIX", value: "1" }) { __typename } }', variables: { s: f.serviceId } },
    'Mutation.deleteEnvVar': { query: 'mutation($s: ID!) { deleteEnvVar(input: { serviceId: $s, key: "MATRIX" }) { __typename } }', variables: { s: f.serviceId } },
    'Mutation.addDomain': { query: 'mutation($s: ID!, $h: String!) { addDomain(serviceId: $s, hostname: $h) { id } }', variables: { s: f.serviceId, h: `authz-${unique()}.example.test` } },
    'Mutation.removeDomain': { query: 'mutation($s: ID!) { removeDomain(serviceId: $s, hostname: "absent.example.test") { id } }', variables: { s: f.serviceId } },
    'Query.volumes': { query: 'query($s: ID!) { volumes(serviceId: $s) { name sizeBytes state } }', variables: { s: f.serviceId } },
    'Mutation.addVolume': { query: 'mutation($s: ID!) { addVolume(serviceId: $s, name: "matrix", mountPath: "/data") { id } }', variables: { s: f.serviceId } },
    // Nothing answers on port 9 of this host: an allowed call is refused as an unreadable repository and changes nothing.
    'Query.previewCompose': {
      query: 'query($i: ImportComposeInput!) { previewCompose(input: $i) { commit } }',
      variables: { i: { projectId: f.projectId, git: { url: 'https://127.0.0.1:9/none.git' } } },
    },
    'Mutation.importCompose': {
      query: 'mutation($i: ImportComposeInput!) { importCompose(input: $i) { id } }',
      variables: { i: { projectId: f.projectId, git: { url: 'https://127.0.0.1:9/none.git' } } },
    },
    'Mutation.removeVolume': { query: 'mutation($s: ID!) { removeVolume(serviceId: $s, name: "absent") { id } }', variables: { s: f.serviceId } },
    'Mutation.updateServiceSettings': { query: 'mutation($s: ID!) { updateServiceSettings(serviceId: $s, input: { replicas: 1 }) { id } }', variables: { s: f.serviceId } },
    'Mutation.updateService': { query: 'mutation($s: ID!) { updateService(id: $s, input: { replicas: 1, dependsOn: [], redeployDependents: false }) { id } }', variables: { s: f.serviceId } },
    // The fixture service was never rolled out: Swarm has nothing of it to restart, stop or scale.
    'Mutation.restartService': { query: 'mutation($s: ID!) { restartService(id: $s) { id } }', variables: { s: f.serviceId } },
    'Mutation.stopService': { query: 'mutation($s: ID!) { stopService(id: $s) { id state } }', variables: { s: f.serviceId } },
    'Mutation.startService': { query: 'mutation($s: ID!) { startService(id: $s) { id state } }', variables: { s: f.serviceId } },
    'Mutation.scaleService': { query: 'mutation($s: ID!) { scaleService(id: $s, replicas: 1) { id replicas } }', variables: { s: f.serviceId } },
    // The failed fixture deployment has ended: an allowed call is refused as finished, and changes nothing.
    'Mutation.cancelDeployment': { query: 'mutation($d: ID!) { cancelDeployment(id: $d) { id } }', variables: { d: f.deploymentId } },
    'Mutation.deleteService': { query: 'mutation($s: ID!) { deleteService(id: $s) }', variables: { s: f.spareServiceId } },
    // Runs last but one (see the order below): the fixture project goes with it.
    'Mutation.deleteProject': { query: 'mutation($p: ID!) { deleteProject(id: $p) }', variables: { p: f.projectId } },
    'Query.globalEnvVars': { query: '{ globalEnvVars { __typename } }' },
    'Query.instanceSettings': { query: '{ instanceSettings { baseDomain } }' },
    // An invalid domain: an allowed call is refused by the domain's rules and changes nothing.
    'Mutation.setInstanceSettings': { query: 'mutation { setInstanceSettings(baseDomain: "not a domain") { baseDomain } }' },
    // Set, then deleted by the next sample: later deployments of other tests never see it.
    'Mutation.setGlobalEnvVar': { query: 'mutation { setGlobalEnvVar(input: { key: "AUTHZ_MATRIX_PROBE", value: "1" }) { __typename } }' },
    'Mutation.deleteGlobalEnvVar': { query: 'mutation { deleteGlobalEnvVar(key: "AUTHZ_MATRIX_PROBE") { __typename } }' },
    'Mutation.rotateWebhookSecret': { query: 'mutation($p: ID!) { rotateWebhookSecret(projectId: $p) }', variables: { p: f.projectId } },
    'Mutation.createProject': { query: 'mutation($n: String!) { createProject(input: { name: $n }) { id } }', variables: { n: `authz-extra-${unique()}` } },
    'Query.previews': { query: 'query($p: ID!) { previews(projectId: $p) { id status } }', variables: { p: f.projectId } },
    'Query.preview': { query: 'query($i: ID!) { preview(id: $i) { id } }', variables: { i: `${f.projectId}-br-none` } },
    'Subscription.previewUpdated': { query: 'subscription($p: ID!) { previewUpdated(projectId: $p) { id } }', variables: { p: f.projectId } },
    // The fixture project has no git service: an allowed call is refused as having nothing to preview.
    'Mutation.createPreview': { query: 'mutation($p: ID!) { createPreview(projectId: $p, ref: "main") { id } }', variables: { p: f.projectId } },
    // No such preview: an allowed call is told so and changes nothing.
    'Mutation.destroyPreview': { query: 'mutation($i: ID!) { destroyPreview(id: $i) { id } }', variables: { i: `${f.projectId}-br-none` } },
    'Mutation.approvePreview': { query: 'mutation($i: ID!) { approvePreview(id: $i) { id } }', variables: { i: `${f.projectId}-br-none` } },
    // The defaults: setting them changes nothing.
    'Mutation.setPreviewSettings': { query: 'mutation($p: ID!) { setPreviewSettings(projectId: $p, idleDays: 7, maxRunning: 5) { idleDays } }', variables: { p: f.projectId } },
    'Query.readModels': { query: '{ readModels }' },
    'Query.serviceMetrics': {
      query: 'query($s: ID!, $f: String!, $t: String!) { serviceMetrics(serviceId: $s, from: $f, to: $t) { at cpu } }',
      variables: { s: f.serviceId, f: new Date(Date.now() - 600_000).toISOString(), t: new Date().toISOString() },
    },
    'Query.hostMetrics': { query: 'query($f: String!, $t: String!) { hostMetrics(from: $f, to: $t) { at cpu } }', variables: { f: new Date(Date.now() - 600_000).toISOString(), t: new Date().toISOString() } },
    'Mutation.rebuildReadModel': { query: 'mutation { rebuildReadModel(name: "no-such-model") { name } }' },
    'Query.notificationChannels': { query: 'query($p: ID!) { notificationChannels(projectId: $p) { id label } }', variables: { p: f.projectId } },
    'Query.alertRules': { query: 'query($p: ID!) { alertRules(projectId: $p) { id metric } }', variables: { p: f.projectId } },
    'Query.alerts': { query: 'query($p: ID!) { alerts(projectId: $p) { id status } }', variables: { p: f.projectId } },
    'Subscription.alertNotifications': { query: 'subscription($p: ID!) { alertNotifications(projectId: $p) { id } }', variables: { p: f.projectId } },
    // Refused by the URL check before any command: an allowed call changes nothing.
    'Mutation.createNotificationChannel': { query: 'mutation($p: ID!) { createNotificationChannel(projectId: $p, input: { kind: WEBHOOK, url: "not a url" }) { id } }', variables: { p: f.projectId } },
    // No such channel or rule (ids of the fixture project): an allowed call is told so.
    'Mutation.deleteNotificationChannel': { query: 'mutation($i: ID!) { deleteNotificationChannel(id: $i) }', variables: { i: `${f.projectId}-nc-none` } },
    'Mutation.testNotificationChannel': { query: 'mutation($i: ID!) { testNotificationChannel(id: $i) { ok } }', variables: { i: `${f.projectId}-nc-none` } },
    // No channel named: refused as such before any command.
    'Mutation.createAlertRule': { query: 'mutation($p: ID!) { createAlertRule(projectId: $p, input: { metric: CPU, threshold: 1, channelIds: [] }) { id } }', variables: { p: f.projectId } },
    'Mutation.deleteAlertRule': { query: 'mutation($i: ID!) { deleteAlertRule(id: $i) }', variables: { i: `${f.projectId}-ar-none` } },
    'Query.smtpSettings': { query: '{ smtpSettings { host } }' },
    // An invalid port: an allowed call is refused before any command.
    'Mutation.setSmtpSettings': { query: 'mutation { setSmtpSettings(input: { host: "smtp.example.com", port: 0, security: NONE, from: "a@example.com" }) { host } }' },
    'Query.projectUsage': { query: 'query($p: ID!) { projectUsage(projectId: $p) { cpu { used limit } } }', variables: { p: f.projectId } },
    'Query.defaultProjectQuota': { query: '{ defaultProjectQuota { cpu } }' },
    // No limits: the fixture's deployments stay as they were.
    'Mutation.setProjectQuota': { query: 'mutation($p: ID!) { setProjectQuota(projectId: $p, input: {}) { ownLimits } }', variables: { p: f.projectId } },
    // Out of range: an allowed call is refused as such and the instance's defaults stay.
    'Mutation.setDefaultProjectQuota': { query: 'mutation { setDefaultProjectQuota(input: { cpu: -1 }) { cpu } }' },
    'Query.cleanupRuns': { query: '{ cleanupRuns(first: 1) { id status } }' },
    'Query.cleanupRun': { query: '{ cleanupRun(id: "cl_none") { id } }' },
    // A dry run: an allowed call lists and removes nothing.
    'Mutation.runCleanup': { query: 'mutation { runCleanup(dryRun: true) { id status } }' },
    'Query.backups': { query: '{ backups(first: 1) { id status } }' },
    // The backup part does not run here: an allowed call is told it is not running, and writes nothing.
    'Mutation.createBackup': { query: 'mutation { createBackup { id status } }' },
  };
};

const REFUSALS = ['UNAUTHENTICATED', 'FORBIDDEN'];
type Outcome = { codes: string[]; messages: string[] };

describe('authorisation: every operation against every role', () => {
  const processes: PlatformProcess[] = [];
  const clients = {} as Record<PrincipalName, GraphqlTestClient>;
  let port: number;
  let fixture: Fixture;
  let operations: string[];

  const client = () => new GraphqlTestClient(port);
  const password = 'member-password-1';

  /** An invited member of the fixture project, signed up with the invitation code. */
  const member = async (owner: GraphqlTestClient, projectId: string, role: string) => {
    const email = `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@slipway.test`;
    const { inviteMember } = await owner.request<{ inviteMember: { code: string } }>(
      `mutation($p: ID!, $e: String!) { inviteMember(projectId: $p, email: $e, role: ${role}) { code } }`,
      { p: projectId, e: email },
    );
    const c = client();
    await c.signUp(email, password, inviteMember.code);
    const { me } = await c.request<{ me: { id: string } }>('{ me { id } }');
    return { client: c, userId: me.id, email };
  };

  const call = async (who: PrincipalName, op: string, sample: { query: string; variables?: Record<string, unknown> }): Promise<Outcome> => {
    if (op.startsWith('Subscription.')) return subscribeOnce(clients[who], sample);
    const body = await clients[who].execute(sample.query, sample.variables);
    return { codes: (body.errors ?? []).map((e) => e.extensions?.code ?? ''), messages: (body.errors ?? []).map((e) => e.message) };
  };

  /** The first answer of a subscription: a value, an error, or a closed connection (an unauthenticated one is closed). */
  const subscribeOnce = (c: GraphqlTestClient, sample: { query: string; variables?: Record<string, unknown> }) =>
    new Promise<Outcome>((resolve) => {
      const done = (outcome: Outcome) => {
        clearTimeout(timer);
        stop();
        resolve(outcome);
      };
      // A follower of the logs of a finished deployment may wait for lines: silence is not a refusal.
      const timer = setTimeout(() => done({ codes: [], messages: ['(no message within 2 s)'] }), 2_000);
      const stop = c.subscribe(
        sample.query,
        sample.variables ?? {},
        () => done({ codes: [], messages: [] }),
        (err) => {
          const errors = Array.isArray(err) ? (err as { message: string; extensions?: { code?: string } }[]) : [];
          if (errors.length) return done({ codes: errors.map((e) => e.extensions?.code ?? ''), messages: errors.map((e) => e.message) });
          const code = (err as { code?: number }).code;
          done({ codes: [code === 4403 ? 'UNAUTHENTICATED' : `CLOSED_${code}`], messages: [String((err as { reason?: string }).reason ?? err)] });
        },
      );
    });

  beforeAll(async () => {
    processes.push(...(await startPlatformProcesses(['project', 'deploy', 'quota', 'build', 'preview'])));
    const gateway = await startPlatformProcess('gateway', { waitForReady: false });
    processes.push(gateway);
    port = gateway.port;
    // Only the services these operations need run here, so the gateway's own health stays degraded.
    await waitUntil('the gateway to answer', async () => (await gateway.health()).status > 0, 30_000);

    const instanceOwner = client();
    await instanceOwner.signInAsOwner();
    const name = `authz-${randomUUID().slice(0, 6)}`;
    const projectId = (await instanceOwner.request<{ createProject: { id: string } }>(`mutation { createProject(input: { name: "${name}" }) { id } }`)).createProject.id;
    const otherProjectId = (await instanceOwner.request<{ createProject: { id: string } }>(`mutation { createProject(input: { name: "${name}-other" }) { id } }`)).createProject.id;
    const serviceId = (
      await instanceOwner.request<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
        i: { projectId, name: 'web', port: 80, source: { image: { ref: `${infraEnv().REGISTRY}/slipway-test/none:missing` } } },
      })
    ).createService.id;
    // An image that is not there: the deployment fails at once, and stays a FAILED deployment to read.
    const spareServiceId = (
      await instanceOwner.request<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
        i: { projectId, name: 'spare', port: 80, source: { image: { ref: `${infraEnv().REGISTRY}/slipway-test/none:missing` } } },
      })
    ).createService.id;
    const deploymentId = (await instanceOwner.request<{ deployService: { id: string } }>(`mutation { deployService(serviceId: "${serviceId}") { id } }`)).deployService.id;
    await waitUntil('the fixture deployment to fail', async () => {
      const { deployment } = await instanceOwner.request<{ deployment: { status: string } }>(`{ deployment(id: "${deploymentId}") { status } }`);
      return deployment.status === 'FAILED';
    }, 60_000);

    const members: Awaited<ReturnType<typeof member>>[] = [];
    for (const role of ['OWNER', 'ADMIN', 'DEVELOPER', 'VIEWER', 'DEVELOPER', 'VIEWER']) members.push(await member(instanceOwner, projectId, role));
    const [owner, admin, developer, viewer, spare, removable] = members;
    const outsider = await member(instanceOwner, otherProjectId, 'VIEWER');
    Object.assign(clients, {
      anonymous: client(),
      outsider: outsider.client,
      viewer: viewer.client,
      developer: developer.client,
      admin: admin.client,
      owner: owner.client,
      'instance-owner': instanceOwner,
    });
    const pending = await instanceOwner.request<{ inviteMember: { id: string } }>('mutation($p: ID!, $e: String!) { inviteMember(projectId: $p, email: $e, role: VIEWER) { id } }', {
      p: projectId,
      e: `pending-${randomUUID().slice(0, 8)}@slipway.test`,
    });
    fixture = { projectId, serviceId, spareServiceId, deploymentId, spareMemberId: spare.userId, removableMemberId: removable.userId, pendingInvitationId: pending.inviteMember.id };

    const { __schema } = await instanceOwner.request<{ __schema: Record<string, { name: string; fields: { name: string }[] } | null> & { types: unknown } }>(
      '{ __schema { queryType { name fields { name } } mutationType { name fields { name } } subscriptionType { name fields { name } } } }',
    );
    operations = (['queryType', 'mutationType', 'subscriptionType'] as const).flatMap((k) => __schema[k]?.fields.map((f) => `${__schema[k]!.name}.${f.name}`) ?? []);
  }, 240_000);

  afterAll(async () => {
    await Promise.all(Object.values(clients).map((c) => c.close()));
    await Promise.all(processes.map((p) => p.stop()));
  });

  it('has an expectation and a sample call for every operation of the schema', () => {
    const all = samples(fixture);
    expect(operations.filter((op) => !expected[op])).toEqual([]);
    expect(operations.filter((op) => !all[op])).toEqual([]);
    expect(Object.keys(expected).filter((op) => !operations.includes(op))).toEqual([]);
  });

  it('lets in exactly the roles each operation allows, and refuses the rest with a reason', async () => {
    const all = samples(fixture);
    // deleteProject takes the fixture project away, signOut the caller's session: they go last.
    const last = ['Mutation.deleteProject', 'Mutation.signOut'];
    const order = [...operations.filter((op) => !last.includes(op)), ...last];
    const wrong: string[] = [];
    let refusals = 0;
    let admissions = 0;
    for (const op of order) {
      for (const who of principals) {
        const outcome = await call(who, op, all[op]);
        const refused = outcome.codes.some((c) => REFUSALS.includes(c));
        if (allowed(expected[op], who) === refused) wrong.push(`${op} as ${who}: ${refused ? 'refused' : 'allowed'} (${outcome.messages.join('; ') || 'ok'})`);
        if (refused) {
          refusals++;
          // A refusal says why: sign in, or which role is needed, or whom to ask.
          expect(outcome.messages.join(' ')).toMatch(/Sign in first|role|member|owner|token/);
        } else admissions++;
      }
    }
    expect(wrong).toEqual([]);
    expect(refusals).toBeGreaterThan(60);
    expect(admissions).toBeGreaterThan(60);
  }, 240_000);
});
