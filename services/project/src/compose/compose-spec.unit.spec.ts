import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceSpecInput } from '@slipway/proto';
import { parseCompose } from './parse-compose';
import type { ComposeServicePlan } from './compose-plan';
import { envChanges, healthCheckOf, settingsOfPlan, slipwayName, slipwayVolumeName, specOfPlan, volumeChanges } from './compose-spec';

const repository = { kind: 'git' as const, url: 'https://git.example.com/team/shop.git', ref: 'main' };
const plans = (): ComposeServicePlan[] => {
  const parsed = parseCompose(readFileSync(join(__dirname, 'fixtures', 'web-api-worker-db.compose.yaml'), 'utf8'), { file: 'compose.yaml' });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.plan.services;
};
const named = (name: string) => plans().find((p) => p.name === name)!;

describe('compose plans as Slipway services', () => {
  it('makes a spec createService accepts: build services from the repository, image services from their image', () => {
    const apiSpec = specOfPlan(named('api'), { repository, env: [{ key: 'PORT', value: '4000' }], dependsOn: ['s_db'] });
    expect(serviceSpecInput.safeParse(apiSpec).success).toBe(true);
    expect(apiSpec).toMatchObject({ source: repository, port: 4000, build: { dockerfilePath: 'api/Dockerfile.prod', context: 'api' }, dependsOn: ['s_db'], healthCheck: { kind: 'command' } });
    expect(specOfPlan(named('web'), { repository, env: [], dependsOn: [] }).healthCheck).toEqual({ kind: 'tcp' });
    const dbSpec = specOfPlan(named('db'), { repository, env: [], dependsOn: [] });
    expect(serviceSpecInput.safeParse(dbSpec).success).toBe(true);
    expect(dbSpec.source).toEqual({ kind: 'image', ref: expect.stringMatching(/^postgres/) });
    expect(dbSpec.volumes).toEqual([{ name: expect.any(String), mountPath: '/var/lib/postgresql/data' }]);
    expect(dbSpec.healthCheck.kind).toBe('command');
  });

  it('maps health checks: none stays none, a command keeps its timings (at least a second), no healthcheck is tcp with a port and none without', () => {
    expect(healthCheckOf({ kind: 'none' }, true)).toEqual({ kind: 'none' });
    expect(healthCheckOf(undefined, true)).toEqual({ kind: 'tcp' });
    expect(healthCheckOf(undefined, false)).toEqual({ kind: 'none' });
    expect(healthCheckOf({ kind: 'command', test: { kind: 'shell', command: 'pg_isready' }, intervalMs: 500, timeoutMs: 30_000, retries: 0, startPeriodMs: 0 }, true)).toEqual({
      kind: 'command',
      test: { kind: 'shell', command: 'pg_isready' },
      intervalMs: 1_000,
      timeoutMs: 30_000,
      retries: 1,
      startPeriodMs: 0,
    });
  });

  it('gives a changed service its whole settings, with the root as the context of a service that has none', () => {
    const settings = settingsOfPlan(named('db'), { repository, env: [], dependsOn: [] });
    expect(settings).toMatchObject({ buildContext: '.', buildArgs: {}, command: [], dependsOn: [] });
  });

  it('names compose services and volumes as Slipway names, or says they cannot be', () => {
    expect(slipwayName('My_API')).toBe('my-api');
    expect(slipwayName('-x')).toBeUndefined();
    expect(slipwayVolumeName('db_data')).toBe('db-data');
    expect(slipwayVolumeName('a'.repeat(70))).toBeUndefined();
  });

  it('changes only the variables and volumes that differ', () => {
    expect(envChanges([{ key: 'A', value: '1' }, { key: 'B', value: '2' }], [{ key: 'A', value: '1' }, { key: 'B', value: '3' }, { key: 'C', value: '4' }])).toEqual({
      set: [{ key: 'B', value: '3' }, { key: 'C', value: '4' }],
      remove: [],
    });
    expect(envChanges([{ key: 'A', value: '1' }], [])).toEqual({ set: [], remove: ['A'] });
    const db = named('db');
    const moved = { ...db, volumes: db.volumes.map((v) => ({ ...v, mountPath: '/data' })) };
    expect(volumeChanges(db, db)).toEqual({ add: [], remove: [] });
    expect(volumeChanges(db, moved)).toEqual({ add: [{ name: expect.any(String), mountPath: '/data' }], remove: [expect.any(String)] });
    expect(volumeChanges(undefined, db).add).toHaveLength(1);
  });
});
