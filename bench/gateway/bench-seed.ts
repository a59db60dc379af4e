import type { GraphqlTestClient } from '@slipway/testing';

export const PROJECTS = 100;
export const SERVICES_PER_PROJECT = 10;
const PARALLEL = 6;

type Project = { id: string; name: string; services: { id: string; name: string }[] };

export const benchProjectName = (i: number) => `gbench-${String(i).padStart(3, '0')}`;
const serviceName = (i: number) => `svc-${i}`;

/** Runs `work` over `items`, at most `parallel` at a time. */
const inParallel = async <T>(items: T[], parallel: number, work: (item: T) => Promise<void>) => {
  const queue = [...items];
  await Promise.all(Array.from({ length: parallel }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
};

const allProjects = async (api: GraphqlTestClient) =>
  (await api.request<{ projects: Project[] }>('{ projects { id name services { id name } } }')).projects;

/**
 * Makes sure gbench-000 … gbench-099 exist with svc-0 … svc-9 each, through the API as the owner:
 * whatever a previous run (the NATS data persists) left is reused, only what is missing is created.
 */
export const seedProjects = async (api: GraphqlTestClient, imageRef: string): Promise<void> => {
  const byName = new Map((await allProjects(api)).map((p) => [p.name, p]));
  const wanted = Array.from({ length: PROJECTS }, (_, i) => benchProjectName(i));
  const missingServices = (p: Project | undefined) =>
    Array.from({ length: SERVICES_PER_PROJECT }, (_, i) => serviceName(i)).filter((n) => !p?.services.some((s) => s.name === n));
  const todo = wanted.filter((name) => missingServices(byName.get(name)).length > 0);
  if (todo.length === 0) {
    console.log(`seed: ${PROJECTS} projects × ${SERVICES_PER_PROJECT} services already present (gbench-*), reused`);
    return;
  }
  console.log(`seed: ${PROJECTS - todo.length} of ${PROJECTS} projects complete; creating what the other ${todo.length} lack`);
  const t0 = Date.now();
  let done = 0;
  await inParallel(todo, PARALLEL, async (name) => {
    let project = byName.get(name);
    if (!project) {
      const { createProject } = await api.request<{ createProject: { id: string } }>('mutation($n: String!) { createProject(input: { name: $n }) { id } }', { n: name });
      project = { id: createProject.id, name, services: [] };
    }
    for (const service of missingServices(project)) {
      await api.request('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
        i: { projectId: project.id, name: service, source: { image: { ref: imageRef } }, port: 8080 },
      });
    }
    done += 1;
    if (done % 10 === 0 || done === todo.length) console.log(`seed: ${done}/${todo.length} projects (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  });
};

/** The person the load runs as: a viewer of exactly gbench-000 … gbench-099, so the page is 100 × 10. */
export const benchMember = { email: 'gbench-member@slipway.test', password: 'gbench-member-password-1' };

/**
 * Signs `member` in as benchMember, a viewer of exactly `projectIds`, inviting it (as the owner
 * `api`) wherever it is not a member yet. The instance owner would see every project that other
 * runs on this machine left (243 projects, 1,198 services at one count), not the 100 × 10 asked for.
 */
export const signInBenchMember = async (api: GraphqlTestClient, member: GraphqlTestClient, projectIds: string[]): Promise<string> => {
  let signedIn = await member.signIn(benchMember.email, benchMember.password).then(() => true, () => false);
  let invited = 0;
  for (const projectId of projectIds) {
    const { members } = await api.request<{ members: { email: string }[] }>('query($p: ID!) { members(projectId: $p) { email } }', { p: projectId });
    if (members.some((m) => m.email === benchMember.email)) continue;
    const { inviteMember } = await api.request<{ inviteMember: { code: string | null; joined: boolean } }>(
      'mutation($p: ID!, $e: String!) { inviteMember(projectId: $p, email: $e, role: VIEWER) { code joined } }',
      { p: projectId, e: benchMember.email },
    );
    invited += 1;
    if (!inviteMember.joined) {
      await member.signUp(benchMember.email, benchMember.password, inviteMember.code!);
      signedIn = true;
    }
  }
  if (invited) console.log(`seed: ${benchMember.email} invited to ${invited} of the ${projectIds.length} projects as a viewer`);
  if (!signedIn) await member.signIn(benchMember.email, benchMember.password);
  return member.token!;
};

type Deployment = { id: string; status: string; error: string | null };

/**
 * Deployments that have finished FAILED (their image does not exist), in the project gbench-events:
 * the events the bench appends to them change their read model but nothing else. Reused across runs.
 */
export const failedDeployments = async (api: GraphqlTestClient, imageRef: string, count: number): Promise<string[]> => {
  const name = 'gbench-events';
  let project = (await allProjects(api)).find((p) => p.name === name);
  if (!project) {
    const { createProject } = await api.request<{ createProject: { id: string } }>('mutation($n: String!) { createProject(input: { name: $n }) { id } }', { n: name });
    project = { id: createProject.id, name, services: [] };
  }
  let serviceId = project.services.find((s) => s.name === 'probe')?.id;
  if (!serviceId) {
    serviceId = (
      await api.request<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
        i: { projectId: project.id, name: 'probe', source: { image: { ref: imageRef } }, port: 8080 },
      })
    ).createService.id;
  }
  const list = async () =>
    (await api.request<{ deployments: Deployment[] }>('query($s: ID!) { deployments(serviceId: $s) { id status error } }', { s: serviceId })).deployments;
  const existing = await list();
  for (let i = existing.length; i < count; i++) {
    await api.request('mutation($s: ID!) { deployService(serviceId: $s) { id } }', { s: serviceId });
  }
  if (existing.length < count) console.log(`events: requested ${count - existing.length} deployments of ${imageRef} (an image that does not exist)`);
  const until = Date.now() + 120_000;
  for (;;) {
    const all = (await list()).slice(0, count);
    if (all.every((d) => ['FAILED', 'SUCCEEDED', 'CANCELLED', 'BLOCKED'].includes(d.status))) {
      const wrong = all.filter((d) => d.status !== 'FAILED');
      if (wrong.length) throw new Error(`expected FAILED deployments, got ${wrong.map((d) => `${d.id} ${d.status}`).join(', ')}`);
      return all.map((d) => d.id);
    }
    if (Date.now() > until) throw new Error(`deployments did not finish: ${all.map((d) => `${d.id} ${d.status}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
};
