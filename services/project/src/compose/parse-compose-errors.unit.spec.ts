import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ComposeParseResult } from './compose-plan';
import { parseCompose } from './parse-compose';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const errors = (result: ComposeParseResult) => {
  if (result.ok) throw new Error('expected errors, got a plan');
  return result.errors;
};
const inline = (yaml: string, variables?: Record<string, string>) => parseCompose(yaml, { file: 'compose.yaml', variables });

describe('parseCompose refuses, saying where and what to do', () => {
  it('a YAML syntax error: the line and column from the parser', () => {
    const found = errors(parseCompose(fixture('yaml-syntax-error.compose.yaml'), { file: 'compose.yaml' }));
    expect(found[0]).toMatchObject({ line: 3, column: 12 });
    expect(found[0].message).toMatch(/^compose\.yaml, line 3, column 12: this is not valid YAML \(.+\); fix the syntax there$/);
  });

  it('a schema error: each key path, its position, and the allowed values', () => {
    const found = errors(parseCompose(fixture('schema-error.compose.yaml'), { file: 'compose.yaml' }));
    expect(found.map((e) => e.message)).toEqual([
      'services.web.prots (compose.yaml, line 4, column 5) is not a Compose key here: check its spelling and indentation against the Compose specification',
      'services.web.depends_on.db.condition (compose.yaml, line 8, column 20) must be one of: service_started, service_healthy, service_completed_successfully',
      'services.db.healthcheck.interval (compose.yaml, line 12, column 17) must be a duration like 30s, 1m30s or 500ms',
    ]);
  });

  it('a wrong type, once, in words', () => {
    const found = errors(inline('services:\n  web:\n    image: nginx\n    ports: 80\n'));
    expect(found.map((e) => e.message)).toEqual(['services.web.ports (compose.yaml, line 4, column 12) must be a list']);
  });

  it('a cycle of dependencies, named', () => {
    const found = errors(parseCompose(fixture('cycle.compose.yaml'), { file: 'compose.yaml' }));
    expect(found[0].message).toContain('makes a cycle (web → api → worker → web): remove one of these dependencies');
  });

  it('a dependency on a service the file does not have', () => {
    const found = errors(inline('services:\n  web:\n    image: nginx\n    depends_on: [db]\n'));
    expect(found[0].message).toBe('services.web.depends_on (compose.yaml, line 4, column 17) names db, which is not a service in this file');
  });

  it('bind mounts, each with the reason and what to do instead', () => {
    const found = errors(parseCompose(fixture('bind-mount.compose.yaml'), { file: 'compose.yaml' }));
    expect(found.map((e) => e.path)).toEqual(['services.web.volumes[0]', 'services.web.volumes[1]', 'services.web.volumes[2]']);
    expect(found[0].message).toContain('is a bind mount of a path on the host: refused');
    expect(found[0].message).toContain('COPY in the Dockerfile');
  });

  it('a named volume that is not declared', () => {
    const found = errors(inline('services:\n  db:\n    image: postgres\n    volumes: ["pgdata:/var/lib/postgresql/data"]\n'));
    expect(found[0].message).toContain('uses the volume "pgdata", which is not declared: add it under the top-level volumes');
  });

  it('a service with neither image nor build', () => {
    expect(errors(inline('services:\n  web:\n    command: ["x"]\n'))[0].message).toContain('has neither image nor build');
  });

  it('values outside Slipway’s ranges; floors are raised with a warning instead', () => {
    const found = errors(inline('services:\n  web:\n    image: nginx\n    deploy:\n      replicas: 20\n      resources:\n        limits: { cpus: "32", memory: 64G }\n'));
    expect(found.map((e) => e.path)).toEqual(['services.web.deploy.replicas', 'services.web.deploy.resources.limits.cpus', 'services.web.deploy.resources.limits.memory']);
    expect(found[0].message).toContain('Slipway runs 1 to 10 replicas');
    const small = inline('services:\n  web:\n    image: nginx\n    mem_limit: 64m\n    cpus: 0.05\n');
    expect(small.ok && small.plan.services[0].resources).toEqual({ cpu: 0.1, memoryMb: 128 });
    expect(small.warnings.map((w) => w.path)).toEqual(['services.web.cpus', 'services.web.mem_limit']);
  });

  it('a command that needs a shell', () => {
    const found = errors(inline('services:\n  web:\n    image: node\n    command: npm run migrate && npm start\n'));
    expect(found[0].message).toContain('write it as ["sh", "-c", "…"]');
  });

  it('a required variable that is not set, with the file’s own words', () => {
    const found = errors(inline('services:\n  web:\n    image: "nginx:${TAG:?set TAG to the release}"\n'));
    expect(found[0].message).toBe(
      'services.web.image (compose.yaml, line 3, column 12) cannot be interpolated: the variable TAG is required and must not be empty: set TAG to the release',
    );
  });

  it('files that are not compose files', () => {
    expect(errors(inline(''))[0].message).toContain('needs a top-level "services:" mapping');
    expect(errors(inline('- a\n- b\n'))[0].message).toContain('needs a top-level "services:" mapping');
    expect(errors(inline('services: {}\n'))[0].message).toContain('names no services');
    expect(errors(inline(`services:\n  web:\n    image: x\n    command: "${'x'.repeat(600_000)}"\n`))[0].message).toContain('larger than 512 KiB');
    expect(errors(parseCompose('services: {}', { file: '../compose.yaml' }))[0].message).toContain('reaches outside the repository');
  });

  it('a YAML alias bomb, before it grows', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`), 'services: {}'].join('\n');
    expect(errors(inline(bomb))[0].message).toMatch(/alias/i);
  });
});

describe('parseCompose warns, and goes on', () => {
  it('about a variable that is not set (replaced by an empty string, as Compose does)', () => {
    const result = inline('services:\n  web:\n    image: nginx\n    environment:\n      GREETING: "hello ${NAME}"\n');
    expect(result.ok && result.plan.services[0].environment).toEqual([{ key: 'GREETING', value: 'hello ' }]);
    expect(result.warnings[0].message).toContain('uses the variable NAME, which is not set');
  });

  it('about a volume shared by several services, and one nobody mounts', () => {
    const result = inline('services:\n  a:\n    image: x\n    volumes: [data:/d]\n  b:\n    image: x\n    volumes: [data:/d:ro]\nvolumes:\n  data: {}\n  spare: {}\n');
    expect(result.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining('volumes.data (compose.yaml, line 9, column 3) is mounted by a, b'),
      expect.stringContaining('volumes.spare (compose.yaml, line 10, column 3) is not mounted by any service'),
    ]);
  });

  it('accepts what the specification added after the published schema', () => {
    const result = inline(
      'name: app\nservices:\n  web:\n    image: nginx\n    depends_on:\n      db: { restart: true, required: false }\n    healthcheck: { test: "curl -f localhost", start_interval: 2s }\n    develop: { watch: [] }\n  db:\n    image: postgres\n    env_file: [{ path: .env, required: false }]\n',
    );
    expect(result.ok).toBe(true);
    expect(result.ok && result.plan.services[0].dependencies).toEqual([{ service: 'db', condition: 'service_started', required: false, restart: true }]);
    expect(result.ok && result.plan.services[0].healthCheck).toMatchObject({ startIntervalMs: 2_000, test: { kind: 'shell', command: 'curl -f localhost' } });
  });

  it('turns the image’s health check off with NONE or disable', () => {
    const none = inline('services:\n  a:\n    image: x\n    healthcheck: { test: ["NONE"] }\n  b:\n    image: x\n    healthcheck: { disable: true }\n');
    expect(none.ok && none.plan.services.map((s) => s.healthCheck)).toEqual([{ kind: 'none' }, { kind: 'none' }]);
  });

  it('casts interpolated numbers where Compose wants numbers', () => {
    const result = inline('services:\n  web:\n    image: x\n    deploy: { replicas: "${REPLICAS:-3}" }\n');
    expect(result.ok && result.plan.services[0].replicas).toBe(3);
  });
});
