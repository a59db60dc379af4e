import { randomBytes } from 'node:crypto';
import type { DomainEvent } from '@slipway/event-store';
import { SecretBox } from '@slipway/secret-box';
import { exampleServiceSpec } from '@slipway/testing';
import { mergeEnv, openEnv, SealedEnvVarUnreadable } from './deployment-env';
import { deploymentTarget, emptyProject, evolveCatalog, evolveGlobalEnv, type CatalogProject, type DeploymentTarget } from './service-catalog';

const box = new SecretBox(randomBytes(32));
const sealed = box.seal('s3cr3t');
const plain = (key: string, value: string) => ({ key, secret: false as const, value });
const secret = (key: string) => ({ key, secret: true as const, sealedValue: sealed });

const projectEvents: DomainEvent[] = [
  { type: 'ProjectCreated', data: { projectId: 'p_1', name: 'shop', createdAt: '2026-11-28T10:00:00.000Z' } },
  {
    type: 'ServiceCreated',
    data: { projectId: 'p_1', serviceId: 's_1', name: 'web', spec: exampleServiceSpec({ env: [{ key: 'FROM_CREATION', value: 'yes' }] }) },
  },
  { type: 'ServiceCreated', data: { projectId: 'p_1', serviceId: 's_2', name: 'api', spec: exampleServiceSpec() } },
];
const target = (events: DomainEvent[], globals: DomainEvent[] = [], serviceId = 's_1'): DeploymentTarget =>
  deploymentTarget(
    events.reduce<CatalogProject>(evolveCatalog, emptyProject),
    globals.reduce(evolveGlobalEnv, new Map()),
    'p_1',
    serviceId,
  );

describe('env merge: global < project < service', () => {
  it('lets the narrower level win, key by key, sorted by key so equal environments give equal specs', () => {
    expect(
      mergeEnv([
        { level: 'global', vars: [plain('LOG_LEVEL', 'info'), plain('REGION', 'eu'), secret('API_KEY')] },
        { level: 'project', vars: [plain('LOG_LEVEL', 'debug'), plain('DB', 'shop')] },
        { level: 'service', vars: [plain('API_KEY', 'public-now'), plain('DB', 'shop-web')] },
      ]),
    ).toEqual([
      { key: 'API_KEY', value: 'public-now' },
      { key: 'DB', value: 'shop-web' },
      { key: 'LOG_LEVEL', value: 'debug' },
      { key: 'REGION', value: 'eu' },
    ]);
  });

  it('keeps secrets sealed in the merge; only opening them (for the container) gives the value', () => {
    const env = mergeEnv([{ level: 'global', vars: [secret('TOKEN')] }, { level: 'service', vars: [plain('A', '1')] }]);
    expect(env).toEqual([{ key: 'A', value: '1' }, { key: 'TOKEN', sealedValue: sealed }]);
    expect(JSON.stringify(env)).not.toContain('s3cr3t');
    expect(openEnv(env, (s) => box.open(s))).toEqual([{ key: 'A', value: '1' }, { key: 'TOKEN', value: 's3cr3t', secret: true }]);
    expect(() => openEnv(env, (s) => new SecretBox(randomBytes(32)).open(s))).toThrow(new SealedEnvVarUnreadable('TOKEN'));
  });
});

describe('deployment target: the settings and env in force when the deployment is requested', () => {
  it('folds settings, source, domains and the three env levels of one service, and none of another', () => {
    const got = target(
      [
        ...projectEvents,
        { type: 'ServiceSettingsChanged', data: { projectId: 'p_1', serviceId: 's_1', settings: { replicas: 3, port: 8080 } } },
        { type: 'ServiceSettingsChanged', data: { projectId: 'p_1', serviceId: 's_1', settings: { build: { dockerfilePath: 'x/Dockerfile', strategy: 'node' } } } },
        { type: 'ServiceSourceChanged', data: { projectId: 'p_1', serviceId: 's_1', source: { kind: 'git', url: 'https://git.example/new.git', ref: 'v2' } } },
        { type: 'ServiceDomainAdded', data: { projectId: 'p_1', serviceId: 's_1', hostname: 'a.example.com', domains: ['a.example.com'] } },
        { type: 'ServiceDomainAdded', data: { projectId: 'p_1', serviceId: 's_1', hostname: 'b.example.com', domains: ['a.example.com', 'b.example.com'] } },
        { type: 'ServiceDomainRemoved', data: { projectId: 'p_1', serviceId: 's_1', hostname: 'a.example.com', domains: ['b.example.com'] } },
        { type: 'ProjectEnvVarSet', data: { projectId: 'p_1', variable: plain('SHARED', 'project') } },
        { type: 'ServiceEnvVarSet', data: { projectId: 'p_1', serviceId: 's_1', variable: secret('DB_PASSWORD') } },
        { type: 'ServiceEnvVarSet', data: { projectId: 'p_1', serviceId: 's_2', variable: plain('ONLY_API', '1') } },
        { type: 'ServiceEnvVarRemoved', data: { projectId: 'p_1', serviceId: 's_1', key: 'FROM_CREATION' } },
      ],
      [
        { type: 'GlobalEnvVarSet', data: { variable: plain('SHARED', 'global') } },
        { type: 'GlobalEnvVarSet', data: { variable: plain('GONE', 'x') } },
        { type: 'GlobalEnvVarRemoved', data: { key: 'GONE' } },
        { type: 'GlobalEnvVarSet', data: { variable: plain('REGION', 'eu') } },
      ],
    );
    expect(got.projectName).toBe('shop');
    expect(got.serviceName).toBe('web');
    expect(got.spec).toMatchObject({
      replicas: 3,
      port: 8080,
      build: { dockerfilePath: 'x/Dockerfile', strategy: 'node' },
      source: { kind: 'git', url: 'https://git.example/new.git', ref: 'v2' },
      domains: ['b.example.com'],
    });
    expect(got.spec.env).toEqual([
      { key: 'DB_PASSWORD', sealedValue: sealed },
      { key: 'REGION', value: 'eu' },
      { key: 'SHARED', value: 'project' },
    ]);
    expect(target(projectEvents, [], 's_2').spec).toEqual(exampleServiceSpec());
  });

  it('gives a service the env it was created with as its own level', () => {
    expect(target(projectEvents).spec.env).toEqual([{ key: 'FROM_CREATION', value: 'yes' }]);
  });

  it('names what is missing', () => {
    expect(() => target([])).toThrow('No project p_1');
    expect(() => target(projectEvents, [], 's_9')).toThrow('Project shop has no service s_9');
  });
});
