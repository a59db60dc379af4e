import { randomUUID } from 'node:crypto';
import Dockerode from 'dockerode';
import { platformServices } from '@slipway/proto';
import { buildTestApp, GitRepoFixture, GraphqlTestClient, infraEnv, nodeApp, startPlatformProcess, startPlatformProcesses, waitUntil, type PlatformProcess } from '@slipway/testing';

/**
 * importCompose against the real servers: a three-service Compose project (an image with a named
 * volume and a command health check; an API built from a folder with build args, an env_file and
 * `depends_on: service_healthy`; a web front end) becomes three services deployed in dependency
 * order; unsupported keys come back as warnings; deployProject reads the file again and
 * reconciles what was added, changed and removed; a file Slipway cannot take is refused in words.
 */
const DEPLOYMENT = 'id serviceId serviceName status error createdAt buildStartedAt finishedAt';
type Deployment = { id: string; serviceId: string; serviceName: string; status: string; error: string | null; createdAt: string; buildStartedAt: string | null; finishedAt: string | null };
const FINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'BLOCKED'];
type SwarmSpec = {
  TaskTemplate?: {
    ContainerSpec?: { Image?: string; Env?: string[]; Healthcheck?: { Test?: string[]; Interval?: number }; Mounts?: { Type: string; Target: string }[] };
    Resources?: { Limits?: { NanoCPUs?: number; MemoryBytes?: number } };
  };
};
const at = (iso: string | null) => Date.parse(iso ?? 'invalid');

const apiDockerfile = `FROM node:24-bookworm-slim
ARG GREETING
WORKDIR /app
COPY package.json server.js ./
RUN echo "$GREETING" > /app/greeting.txt
ENV PORT=3000
EXPOSE 3000
USER node
CMD ["node", "server.js"]
`;
const probe = `require('http').get('http://127.0.0.1:3000/healthz',r=>process.exit(r.statusCode<400?0:1)).on('error',()=>process.exit(1))`;

const composeFile = (dbImage: string, extra = '') => `name: shop
services:
  db:
    image: ${dbImage}
    expose: ["3000"]
    environment:
      ROLE: database
    healthcheck:
      test: ["CMD", "node", "-e", "${probe}"]
      interval: 2s
      timeout: 2s
      retries: 3
      start_period: 1s
    volumes:
      - data:/data
  api:
    build:
      context: ./api
      args:
        GREETING: \${GREETING:-hello}
    env_file: ./api/api.env
    environment:
      DB_HOST: db
    ports: ["3000"]
    depends_on:
      db:
        condition: service_healthy
    restart: always
    deploy:
      resources:
        limits:
          cpus: "0.25"
          memory: 256M
${extra}volumes:
  data: {}
`;
const webService = `  web:
    build: ./web
    ports: ["8080:3000"]
    depends_on: [api]
`;

describe('importCompose: a three-service Compose project, deployed in order, reconciled on each deploy', () => {
  const processes: PlatformProcess[] = [];
  const docker = new Dockerode();
  const env = infraEnv();
  const repo = new GitRepoFixture();
  const projectName = `compose-${randomUUID().slice(0, 6)}`;
  let projectId: string;
  let api: GraphqlTestClient;
  let dbImage: string;

  const gql = <T>(query: string, variables: Record<string, unknown> = {}) => api.request<T>(query, variables);
  const untilEnded = async (ids: string[], timeoutMs = 300_000) => {
    const ended = new Map<string, Deployment>();
    await waitUntil('every deployment to end', async () => {
      for (const id of ids) {
        if (ended.has(id)) continue;
        const { deployment } = await gql<{ deployment: Deployment }>(`query($id: ID!) { deployment(id: $id) { ${DEPLOYMENT} } }`, { id });
        if (FINAL.includes(deployment.status)) ended.set(id, deployment);
      }
      return ended.size === ids.length;
    }, timeoutMs, 500);
    return new Map([...ended.values()].map((d) => [d.serviceName, d]));
  };
  const deployProject = async () => (await gql<{ deployProject: Deployment[] }>(`mutation($p: ID!) { deployProject(projectId: $p) { ${DEPLOYMENT} } }`, { p: projectId })).deployProject;
  const swarmSpec = async (serviceId: string) => {
    const [service] = await docker.listServices({ filters: { label: [`slipway.service=${serviceId}`] } });
    return service?.Spec as SwarmSpec | undefined;
  };
  const input = (path?: string) => ({ projectId, git: { url: repo.url, ref: 'main' }, ...(path ? { path } : {}) });

  beforeAll(async () => {
    processes.push(...(await startPlatformProcesses(platformServices.map((s) => s.name))));
    const gateway = await startPlatformProcess('gateway', { waitForReady: false });
    processes.push(gateway);
    api = new GraphqlTestClient(gateway.port);
    await waitUntil('the platform to be ready', async () => (await gateway.health()).status === 200, 60_000);
    await api.signInAsOwner();
    dbImage = await buildTestApp(docker, { registry: env.REGISTRY, repository: 'slipway-test/compose-db', version: 'v1', healthy: true });
    projectId = (await gql<{ createProject: { id: string } }>('mutation($n: String!) { createProject(input: { name: $n }) { id } }', { n: projectName })).createProject.id;
  }, 300_000);

  afterAll(async () => {
    await gql('mutation($id: ID!) { deleteProject(id: $id, deleteVolumes: true) }', { id: projectId }).catch(() => undefined);
    const label = [`slipway.project=${projectId}`];
    await waitUntil('the project gone from Swarm', async () => (await docker.listServices({ filters: { label } })).length === 0, 90_000, 500).catch(async () => {
      for (const s of await docker.listServices({ filters: { label } })) await docker.getService(s.ID).remove().catch(() => undefined);
    });
    await api?.close();
    await Promise.all(processes.map((p) => p.stop()));
    repo.remove();
  });

  it('previews, imports and deploys db ← api ← web in order, with the volume, health check, build args, env_file and limits of the file', async () => {
    repo.commit(
      {
        'compose.yaml': composeFile(dbImage, webService),
        '.env': 'GREETING=hello-from-dotenv\n',
        'api/Dockerfile': apiDockerfile,
        'api/api.env': 'API_MODE=compose\n# a comment\nDB_HOST=overridden-by-environment\n',
        ...Object.fromEntries(Object.entries(nodeApp('api')).map(([k, v]) => [`api/${k}`, v])),
        'web/Dockerfile': apiDockerfile.replace('ARG GREETING\n', ''),
        ...Object.fromEntries(Object.entries(nodeApp('web')).map(([k, v]) => [`web/${k}`, v])),
      },
      'compose project',
    );

    const { previewCompose } = await gql<{ previewCompose: { services: { name: string; action: string; port: number | null; dependsOn: string[]; volumes: string[]; buildContext: string | null }[]; warnings: string[] } }>(
      'query($i: ImportComposeInput!) { previewCompose(input: $i) { services { name action port dependsOn volumes buildContext } warnings } }',
      { i: input() },
    );
    expect(previewCompose.services).toEqual([
      { name: 'db', action: 'CREATE', port: 3000, dependsOn: [], volumes: ['data:/data'], buildContext: null },
      { name: 'api', action: 'CREATE', port: 3000, dependsOn: ['db'], volumes: [], buildContext: 'api' },
      { name: 'web', action: 'CREATE', port: 3000, dependsOn: ['api'], volumes: [], buildContext: 'web' },
    ]);
    // Nothing said in the file is dropped silently: restart and the published host port are named.
    expect(previewCompose.warnings.join('\n')).toMatch(/services\.api.*restart/);
    expect(previewCompose.warnings.join('\n')).toMatch(/services\.web\.ports.*8080/);
    // A preview creates nothing.
    const before = await gql<{ projects: { id: string; services: { id: string }[] }[] }>('{ projects { id services { id } } }');
    expect(before.projects.find((p) => p.id === projectId)!.services).toEqual([]);

    const { importCompose } = await gql<{ importCompose: { id: string; name: string; dependsOn: string[]; healthCheck: { kind: string; command: string | null } }[] }>(
      'mutation($i: ImportComposeInput!) { importCompose(input: $i) { id name dependsOn healthCheck { kind command } } }',
      { i: input() },
    );
    const ids = Object.fromEntries(importCompose.map((s) => [s.name, s.id]));
    expect(importCompose.map((s) => [s.name, s.dependsOn])).toEqual([
      ['db', []],
      ['api', [ids.db]],
      ['web', [ids.api]],
    ]);
    expect(importCompose[0].healthCheck).toEqual({ kind: 'COMMAND', command: `node -e ${probe}` });

    const started = await deployProject();
    expect(started.map((d) => d.serviceName).sort()).toEqual(['api', 'db', 'web']);
    const ended = await untilEnded(started.map((d) => d.id));
    const [db, apiD, web] = ['db', 'api', 'web'].map((n) => ended.get(n)!);
    expect([db, apiD, web].map((d) => [d.serviceName, d.status, d.error])).toEqual([
      ['db', 'SUCCEEDED', null],
      ['api', 'SUCCEEDED', null],
      ['web', 'SUCCEEDED', null],
    ]);
    expect(at(apiD.buildStartedAt)).toBeGreaterThanOrEqual(at(db.finishedAt));
    expect(at(web.buildStartedAt)).toBeGreaterThanOrEqual(at(apiD.finishedAt));

    // What Swarm runs is what the file said.
    const dbSpec = (await swarmSpec(ids.db))!;
    expect(dbSpec.TaskTemplate?.ContainerSpec?.Healthcheck?.Test).toEqual(['CMD', 'node', '-e', probe]);
    expect(dbSpec.TaskTemplate?.ContainerSpec?.Healthcheck?.Interval).toBe(2_000_000_000);
    expect(dbSpec.TaskTemplate?.ContainerSpec?.Mounts?.map((m) => [m.Type, m.Target])).toEqual([['volume', '/data']]);
    expect(dbSpec.TaskTemplate?.ContainerSpec?.Env).toContain('ROLE=database');
    const apiSpec = (await swarmSpec(ids.api))!;
    const apiEnv = apiSpec.TaskTemplate?.ContainerSpec?.Env ?? [];
    expect(apiEnv).toEqual(expect.arrayContaining(['API_MODE=compose', 'DB_HOST=db']));
    expect(apiSpec.TaskTemplate?.Resources?.Limits).toMatchObject({ NanoCPUs: 250_000_000, MemoryBytes: 256 * 1024 * 1024 });
    // The build argument (from the repository's .env) reached the build.
    // Swarm runs it pinned (name:tag@digest); the node pulled it by digest.
    const [nameTag, digest] = apiSpec.TaskTemplate!.ContainerSpec!.Image!.split('@');
    const history = await docker.getImage(`${nameTag.replace(/:[^:/]+$/, '')}@${digest}`).history();
    expect(history.map((h: { CreatedBy: string }) => h.CreatedBy).join('\n')).toContain('GREETING=hello-from-dotenv');
  }, 900_000);

  it('reads the file again on deployProject: adds worker, changes api, deletes web (its Swarm service goes), and says so', async () => {
    const { projects } = await gql<{ projects: { id: string; services: { id: string; name: string }[] }[] }>('{ projects { id services { id name } } }');
    const webId = projects.find((p) => p.id === projectId)!.services.find((s) => s.name === 'web')!.id;
    const worker = `  worker:\n    image: ${dbImage}\n    command: ["node", "/app/server.js"]\n    expose: ["3000"]\n    environment:\n      ROLE: worker\n    depends_on: [api]\n`;
    repo.commit({ 'compose.yaml': composeFile(dbImage, worker).replace('      DB_HOST: db\n', '      DB_HOST: db\n      FEATURE: "on"\n'), 'web/Dockerfile': null }, 'worker instead of web');

    const started = await deployProject();
    expect(started.map((d) => d.serviceName).sort()).toEqual(['api', 'db', 'worker']);
    const ended = await untilEnded(started.map((d) => d.id));
    expect([...ended.values()].map((d) => [d.serviceName, d.status]).sort()).toEqual([
      ['api', 'SUCCEEDED'],
      ['db', 'SUCCEEDED'],
      ['worker', 'SUCCEEDED'],
    ]);
    const { projects: after } = await gql<{ projects: { id: string; compose: { path: string; added: string[]; changed: { service: string; fields: string[] }[]; removed: string[] } }[] }>(
      '{ projects { id compose { path added changed { service fields } removed } } }',
    );
    const project = after.find((p) => p.id === projectId)!;
    expect(project.compose).toMatchObject({ path: 'compose.yaml', added: ['worker'], changed: [{ service: 'api', fields: ['environment'] }], removed: ['web'] });
    const apiId = (await gql<{ projects: { id: string; services: { id: string; name: string }[] }[] }>('{ projects { id services { id name } } }')).projects
      .find((p) => p.id === projectId)!
      .services.find((s) => s.name === 'api')!.id;
    expect((await swarmSpec(apiId))!.TaskTemplate?.ContainerSpec?.Env).toContain('FEATURE=on');
    await waitUntil('web gone from Swarm', async () => (await swarmSpec(webId)) === undefined, 60_000, 500);
  }, 900_000);

  it('refuses a file it cannot take, naming the key, the line and what to do', async () => {
    repo.commit({ 'broken/compose.yaml': 'services:\n  app:\n    image: nginx\n    volumes:\n      - ./site:/usr/share/nginx/html\n' }, 'a bind mount');
    await expect(gql('query($i: ImportComposeInput!) { previewCompose(input: $i) { commit } }', { i: input('broken/compose.yaml') })).rejects.toThrow(
      /broken\/compose\.yaml cannot be imported:\n.*services\.app\.volumes\[0\].*line 5.*named volume/s,
    );
    await expect(gql('query($i: ImportComposeInput!) { previewCompose(input: $i) { commit } }', { i: input('absent/compose.yaml') })).rejects.toThrow(
      'The repository has no absent/compose.yaml at main: check the path and the branch',
    );
  }, 120_000);
});
