import { Kind, parse, type ObjectTypeExtensionNode } from 'graphql';
import type { StoredEvent } from '@slipway/event-store';
import type { ServiceSpec } from '@slipway/proto';
import { exampleServiceSpec } from '@slipway/testing';
import { checkRule } from '../auth/authorize-schema';
import type { Principal } from '../auth/principal';
import type { Role } from '../auth/roles';
import type { GatewayContext } from '../gateway-context';
import { servicesProjection, type ServiceView } from '../projects/projects.projection';
import { envVarsProjection, type EnvVarListView } from './env-vars.projection';
import { settingsOf } from './service-settings.resolver';
import { serviceSettingsRules } from './service-settings.rules';
import { serviceSettingsTypeDefs } from './service-settings.schema';

const sealed = { alg: 'aes-256-gcm', iv: 'aXY=', tag: 'dGFn', data: 'U0VBTEVEQ0lQSEVS' };
let position = 0;
const event = (type: string, data: Record<string, unknown>, aggregate = 'project'): StoredEvent =>
  ({
    id: `e${++position}`,
    type,
    version: 1,
    aggregateId: 'p_1',
    occurredAt: `2026-11-28T10:00:${String(position).padStart(2, '0')}.000Z`,
    correlationId: 'c',
    causationId: 'c',
    actor: { kind: 'user', id: 'u' },
    data,
    stream: { context: 'project', aggregate, id: aggregate === 'instance' ? 'global' : 'p_1' },
    streamVersion: position,
    batchIndex: 0,
  }) as StoredEvent;

const project = <Doc extends object>(projection: { documentId(e: StoredEvent): string | undefined; evolve(d: Doc | null, e: StoredEvent): Doc | null }, events: StoredEvent[]) => {
  const docs = new Map<string, Doc>();
  for (const e of events) {
    const id = projection.documentId(e)!;
    const next = projection.evolve(docs.get(id) ?? null, e);
    if (next) docs.set(id, next);
  }
  return docs;
};

describe('env vars read model', () => {
  const docs = project<EnvVarListView>(envVarsProjection, [
    event('ServiceCreated', { projectId: 'p_1', serviceId: 's_1', name: 'web', spec: exampleServiceSpec({ env: [{ key: 'NODE_ENV', value: 'production' }] }) }),
    event('ServiceEnvVarSet', { projectId: 'p_1', serviceId: 's_1', variable: { key: 'DB_PASSWORD', secret: true, sealedValue: sealed } }),
    event('ServiceEnvVarSet', { projectId: 'p_1', serviceId: 's_1', variable: { key: 'API_URL', secret: false, value: 'http://api:3000' } }),
    event('ProjectEnvVarSet', { projectId: 'p_1', variable: { key: 'LOG_LEVEL', secret: false, value: 'info' } }),
    event('ProjectEnvVarRemoved', { projectId: 'p_1', key: 'LOG_LEVEL' }),
    event('GlobalEnvVarSet', { variable: { key: 'SENTRY_DSN', secret: true, sealedValue: sealed } }, 'instance'),
  ]);

  it('keeps one list per level, sorted by key, with the service created with its own variables', () => {
    expect(docs.get('service:s_1')).toMatchObject({
      scope: 'SERVICE',
      projectId: 'p_1',
      serviceId: 's_1',
      vars: [
        { key: 'API_URL', value: 'http://api:3000', secret: false },
        { key: 'DB_PASSWORD', value: null, secret: true },
        { key: 'NODE_ENV', value: 'production', secret: false },
      ],
    });
    expect(docs.get('project:p_1')).toMatchObject({ scope: 'PROJECT', projectId: 'p_1', serviceId: null, vars: [] });
    expect(docs.get('global')).toMatchObject({ scope: 'GLOBAL', projectId: null, vars: [{ key: 'SENTRY_DSN', value: null, secret: true }] });
  });

  it('never holds a secret, not even sealed', () => {
    expect(JSON.stringify([...docs.values()])).not.toContain(sealed.data);
  });
});

describe('env vars of preview copies', () => {
  it('are lists of their own, apart from the production levels', () => {
    const docs = project<EnvVarListView>(envVarsProjection, [
      event('ProjectEnvVarSet', { projectId: 'p_1', variable: { key: 'DATABASE_URL', secret: false, value: 'postgres://db/prod' } }),
      event('ProjectPreviewEnvVarSet', { projectId: 'p_1', variable: { key: 'DATABASE_URL', secret: false, value: 'postgres://db/preview' } }),
      event('ServicePreviewEnvVarSet', { projectId: 'p_1', serviceId: 's_1', variable: { key: 'FEATURE_FLAGS', secret: false, value: 'all' } }),
      event('ServicePreviewEnvVarSet', { projectId: 'p_1', serviceId: 's_1', variable: { key: 'DEBUG', secret: false, value: '1' } }),
      event('ServicePreviewEnvVarRemoved', { projectId: 'p_1', serviceId: 's_1', key: 'DEBUG' }),
    ]);
    expect(docs.get('project:p_1')).toMatchObject({ scope: 'PROJECT', vars: [{ key: 'DATABASE_URL', value: 'postgres://db/prod' }] });
    expect(docs.get('project-preview:p_1')).toMatchObject({ scope: 'PROJECT_PREVIEW', projectId: 'p_1', serviceId: null, vars: [{ key: 'DATABASE_URL', value: 'postgres://db/preview' }] });
    expect(docs.get('service-preview:s_1')).toMatchObject({ scope: 'SERVICE_PREVIEW', projectId: 'p_1', serviceId: 's_1', vars: [{ key: 'FEATURE_FLAGS', value: 'all' }] });
    expect(docs.has('service:s_1')).toBe(false);
  });
});

describe('services read model follows settings, source and domains', () => {
  it('shows the latest settings, credentials only as a flag', () => {
    const spec: ServiceSpec = exampleServiceSpec();
    const [view] = project<ServiceView>(servicesProjection, [
      event('ServiceCreated', { projectId: 'p_1', serviceId: 's_1', name: 'web', spec }),
      event('ServiceSettingsChanged', {
        projectId: 'p_1',
        serviceId: 's_1',
        settings: { replicas: 3, resources: { cpu: 1, memoryMb: 1024 }, healthCheck: { kind: 'tcp' }, build: { dockerfilePath: 'ops/Dockerfile', strategy: 'node' } },
      }),
      event('ServiceSourceChanged', {
        projectId: 'p_1',
        serviceId: 's_1',
        source: { kind: 'git', url: 'https://git.example/x.git', ref: 'v2', credentials: { kind: 'token', token: sealed } },
      }),
      event('ServiceDomainAdded', { projectId: 'p_1', serviceId: 's_1', hostname: 'shop.example.com', domains: ['shop.example.com'] }),
    ]).values();
    expect(view).toMatchObject({
      replicas: 3,
      port: 3000,
      cpu: 1,
      memoryMb: 1024,
      healthCheck: { kind: 'TCP', path: null },
      healthCheckPath: null,
      dockerfilePath: 'ops/Dockerfile',
      buildStrategy: 'NODE',
      source: { kind: 'git', url: 'https://git.example/x.git', ref: 'v2', hasCredentials: true },
      domains: ['shop.example.com'],
    });
    expect(JSON.stringify(view)).not.toContain(sealed.data);
  });
});

describe('settings input', () => {
  it('passes on only what is given, enums as the contracts spell them', () => {
    expect(settingsOf({ replicas: 2, port: null, buildStrategy: 'SPA', healthCheck: { kind: 'HTTP', path: '/up' } })).toEqual({
      replicas: 2,
      buildStrategy: 'spa',
      healthCheck: { kind: 'http', path: '/up' },
    });
    expect(() => settingsOf({})).toThrow('Give at least one setting to change');
    expect(() => settingsOf({ healthCheck: { kind: 'HTTP' } })).toThrow('An HTTP health check needs a path, like /healthz');
  });
});

describe('authorisation of the settings operations', () => {
  it('has exactly one rule per root operation', () => {
    const operations = parse(serviceSettingsTypeDefs)
      .definitions.filter((d): d is ObjectTypeExtensionNode => d.kind === Kind.OBJECT_TYPE_EXTENSION && ['Query', 'Mutation'].includes(d.name.value))
      .flatMap((d) => (d.fields ?? []).map((f) => `${d.name.value}.${f.name.value}`));
    expect(Object.keys(serviceSettingsRules).sort()).toEqual(operations.sort());
  });

  const services: Record<string, { projectId: string }> = { s_1: { projectId: 'p_1' } };
  const projects: Record<string, { name: string }> = { p_1: { name: 'shop' } };
  const context = (principal: Principal): GatewayContext =>
    ({
      principal,
      readStore: {
        db: async () => ({
          collection: (name: string) => ({ findOne: async ({ _id }: { _id: string }) => (name === 'services' ? services[_id] : projects[_id]) ?? null }),
        }),
      },
    }) as unknown as GatewayContext;
  const member = (role: Role, instanceOwner = false): Principal => ({
    userId: `u_${role}`,
    email: `${role}@example.com`,
    instanceOwner,
    memberships: new Map([['p_1', role]]),
    credential: { kind: 'session', id: 'x' },
  });
  const allowed = (operation: string, args: Record<string, unknown>, principal: Principal) =>
    checkRule(serviceSettingsRules[operation], args, context(principal)).then(
      () => true,
      () => false,
    );

  it('lets admins change env vars, domains and settings; developers only read them; global vars are the instance owner’s', async () => {
    const onService = { input: { serviceId: 's_1', key: 'A', value: '1' } };
    const onProject = { input: { projectId: 'p_1', key: 'A', value: '1' } };
    expect(await allowed('Mutation.setEnvVar', onService, member('admin'))).toBe(true);
    expect(await allowed('Mutation.setEnvVar', onProject, member('admin'))).toBe(true);
    expect(await allowed('Mutation.setEnvVar', onService, member('developer'))).toBe(false);
    expect(await allowed('Query.envVars', { serviceId: 's_1' }, member('viewer'))).toBe(true);
    expect(await allowed('Mutation.addDomain', { serviceId: 's_1', hostname: 'a.example.com' }, member('admin'))).toBe(true);
    expect(await allowed('Mutation.addDomain', { serviceId: 's_1', hostname: 'a.example.com' }, member('developer'))).toBe(false);
    expect(await allowed('Mutation.updateServiceSettings', { serviceId: 's_1', input: { replicas: 2 } }, member('developer'))).toBe(false);
    expect(await allowed('Mutation.setGlobalEnvVar', { input: { key: 'A', value: '1' } }, member('owner'))).toBe(false);
    expect(await allowed('Mutation.setGlobalEnvVar', { input: { key: 'A', value: '1' } }, member('viewer', true))).toBe(true);
    await expect(checkRule(serviceSettingsRules['Mutation.setEnvVar'], { input: { serviceId: 's_9' } }, context(member('admin')))).rejects.toThrow(
      'No service s_9',
    );
  });
});
