import { deciderSpec, exampleServiceSpec } from '@slipway/testing';
import { domainClaimDecider } from './domain-claim.decider';
import { serviceSettingsDecider, type ServiceSettingsEvent } from './service-settings.decider';
import type { SourcePolicy } from './source-rules';

const now = '2026-11-28T10:00:00.000Z';
const sealed = { alg: 'aes-256-gcm' as const, iv: 'aXY=', tag: 'dGFn', data: 'c2VhbGVk' };
const created: ServiceSettingsEvent = { type: 'ProjectCreated', data: { projectId: 'p_1', name: 'shop', createdAt: now } };
const source = { kind: 'git' as const, url: 'https://git.example/shop.git', ref: 'main', credentials: { kind: 'token' as const, token: sealed } };
const spec = exampleServiceSpec({ source });
const web: ServiceSettingsEvent = { type: 'ServiceCreated', data: { projectId: 'p_1', serviceId: 's_1', name: 'web', spec } };
const ids = { projectId: 'p_1', serviceId: 's_1' };
const { given } = deciderSpec(serviceSettingsDecider);
const sourcePolicy: SourcePolicy = { callerStanding: 'member', allowedHttpGitHosts: [] };
const update = (settings: object, policy = sourcePolicy) => ({ type: 'UpdateServiceSettings' as const, data: { ...ids, settings }, sourcePolicy: policy });

describe('service settings', () => {
  it('records only what changes, resources whole', () => {
    given([created, web])
      .when(update({ replicas: 3, port: 3000, cpu: 1 }))
      .then([{ type: 'ServiceSettingsChanged', data: { ...ids, settings: { replicas: 3, resources: { cpu: 1, memoryMb: 256 } } } }]);
    given([created, web]).when(update({ replicas: 1, port: 3000, healthCheck: { kind: 'http', path: '/' }, buildStrategy: 'auto' })).then([]);
  });

  it('applies earlier changes before comparing', () => {
    const changed: ServiceSettingsEvent = { type: 'ServiceSettingsChanged', data: { ...ids, settings: { port: 8080 } } };
    given([created, web, changed]).when(update({ port: 8080 })).then([]);
    given([created, web, changed]).when(update({ port: 3000 })).then([{ type: 'ServiceSettingsChanged', data: { ...ids, settings: { port: 3000 } } }]);
  });

  it('sets a build strategy and a Dockerfile path; "auto" is the absence of a choice', () => {
    const node: ServiceSettingsEvent = { type: 'ServiceSettingsChanged', data: { ...ids, settings: { build: { dockerfilePath: 'Dockerfile', strategy: 'node' } } } };
    given([created, web]).when(update({ buildStrategy: 'node' })).then([node]);
    given([created, web, node])
      .when(update({ buildStrategy: 'auto', dockerfilePath: 'ops/Dockerfile' }))
      .then([{ type: 'ServiceSettingsChanged', data: { ...ids, settings: { build: { dockerfilePath: 'ops/Dockerfile' } } } }]);
  });

  it('keeps git credentials for a new ref of the same repository, never for another URL', () => {
    given([created, web])
      .when(update({ source: { kind: 'git', url: 'https://git.example/shop.git', ref: 'release' } }))
      .then([{ type: 'ServiceSourceChanged', data: { ...ids, source: { ...source, ref: 'release' } } }]);
    given([created, web])
      .when(update({ source: { kind: 'git', url: 'https://elsewhere.example/shop.git', ref: 'main' } }))
      .then([{ type: 'ServiceSourceChanged', data: { ...ids, source: { kind: 'git', url: 'https://elsewhere.example/shop.git', ref: 'main' } } }]);
    given([created, web]).when(update({ source: { kind: 'git', url: 'https://git.example/shop.git', ref: 'main' } })).then([]);
  });

  it('changes settings and source in one step, or refuses an unknown service', () => {
    given([created, web])
      .when(update({ memoryMb: 512, source: { kind: 'image', ref: 'nginx:1' } }))
      .then([
        { type: 'ServiceSettingsChanged', data: { ...ids, settings: { resources: { cpu: 0.5, memoryMb: 512 } } } },
        { type: 'ServiceSourceChanged', data: { ...ids, source: { kind: 'image', ref: 'nginx:1' } } },
      ]);
    given([created]).when(update({ port: 1 })).thenThrows('Project shop has no service s_1');
    given([]).when(update({ port: 1 })).thenThrows('No project p_1');
  });
});

describe('custom domains of a service', () => {
  const add = (hostname: string) => ({ type: 'AddDomain' as const, data: { ...ids, hostname, platformDomain: 'apps.example.net' } });
  const added: ServiceSettingsEvent = { type: 'ServiceDomainAdded', data: { ...ids, hostname: 'shop.example.com', domains: ['shop.example.com'] } };

  it('adds a domain with the whole list after it, once', () => {
    given([created, web]).when(add('shop.example.com')).then([added]);
    given([created, web, added]).when(add('shop.example.com')).then([]);
    given([created, web, added])
      .when(add('www.shop.example.com'))
      .then([{ type: 'ServiceDomainAdded', data: { ...ids, hostname: 'www.shop.example.com', domains: ['shop.example.com', 'www.shop.example.com'] } }]);
  });

  it("refuses a name under the platform's own domain, and a 51st domain", () => {
    given([created, web]).when(add('web-shop.apps.example.net')).thenThrows(/is under apps.example.net, the platform's own domain/);
    given([created, web]).when(add('apps.example.net')).thenThrows(/the platform's own domain/);
    const fifty = Array.from({ length: 50 }, (_, i) => `d${i}.example.com`);
    given([created, web, { type: 'ServiceDomainAdded', data: { ...ids, hostname: 'd49.example.com', domains: fifty } }])
      .when(add('one-more.example.com'))
      .thenThrows('Service web has 50 domains already, the most a service may have');
  });

  it('removes a domain; removing one it does not have is already done', () => {
    given([created, web, added])
      .when({ type: 'RemoveDomain', data: { ...ids, hostname: 'shop.example.com' } })
      .then([{ type: 'ServiceDomainRemoved', data: { ...ids, hostname: 'shop.example.com', domains: [] } }]);
    given([created, web]).when({ type: 'RemoveDomain', data: { ...ids, hostname: 'shop.example.com' } }).then([]);
  });
});

describe('domain claim: one service per hostname across the instance', () => {
  const { given: claims } = deciderSpec(domainClaimDecider);
  const claim = (serviceId: string) => ({ type: 'ClaimDomain' as const, data: { hostname: 'shop.example.com', projectId: 'p_1', serviceId } });
  const claimed = { type: 'DomainClaimed' as const, data: { hostname: 'shop.example.com', projectId: 'p_1', serviceId: 's_1' } };
  const released = { type: 'DomainReleased' as const, data: { hostname: 'shop.example.com', serviceId: 's_1' } };

  it('lets the first service take it, refuses others without naming the holder, and frees it on release', () => {
    claims([]).when(claim('s_1')).then([claimed]);
    claims([claimed]).when(claim('s_1')).then([]);
    claims([claimed]).when(claim('s_2')).thenThrows('shop.example.com is already a domain of another service; remove it there first');
    claims([claimed]).when({ type: 'ReleaseDomain', data: { hostname: 'shop.example.com', serviceId: 's_2' } }).then([]);
    claims([claimed]).when({ type: 'ReleaseDomain', data: released.data }).then([released]);
    claims([claimed, released]).when(claim('s_2')).then([{ type: 'DomainClaimed', data: { ...claimed.data, serviceId: 's_2' } }]);
  });

  it('security: judges a new source by the source rule, and lets the one the service has be sent back', () => {
    const local = { kind: 'git' as const, url: '/srv/git/shop', ref: 'main' };
    given([created, web]).when(update({ source: local })).thenThrows(/only the instance owner may build one/);
    given([created, web])
      .when(update({ source: local }, { ...sourcePolicy, callerStanding: 'instance-owner' }))
      .then([{ type: 'ServiceSourceChanged', data: { ...ids, source: local } }]);
    const setByOwner: ServiceSettingsEvent = { type: 'ServiceSourceChanged', data: { ...ids, source: local } };
    given([created, web, setByOwner]).when(update({ source: local, replicas: 2 })).then([
      { type: 'ServiceSettingsChanged', data: { ...ids, settings: { replicas: 2 } } },
    ]);
  });
});

describe('updating a service: name and command', () => {
  const api: ServiceSettingsEvent = { type: 'ServiceCreated', data: { projectId: 'p_1', serviceId: 's_2', name: 'api', spec } };

  it('renames a service to a name no other service of the project has', () => {
    given([created, web, api])
      .when(update({ name: 'front' }))
      .then([{ type: 'ServiceRenamed', data: { ...ids, name: 'front', previousName: 'web' } }]);
    given([created, web]).when(update({ name: 'web' })).then([]);
    given([created, web, api]).when(update({ name: 'api' })).thenThrows('Project shop already has a service named "api"');
  });

  it('sets the command the container runs, and [] goes back to the image\u2019s own', () => {
    const set: ServiceSettingsEvent = { type: 'ServiceSettingsChanged', data: { ...ids, settings: { command: ['node', 'worker.js'] } } };
    given([created, web]).when(update({ command: ['node', 'worker.js'] })).then([set]);
    given([created, web, set]).when(update({ command: ['node', 'worker.js'] })).then([]);
    given([created, web, set]).when(update({ command: [] })).then([{ type: 'ServiceSettingsChanged', data: { ...ids, settings: { command: [] } } }]);
    given([created, web]).when(update({ command: [] })).then([]);
  });

  it('fixes a typo in a git URL, judged like any new source', () => {
    const fixed = { kind: 'git' as const, url: 'https://git.example/shop-app.git', ref: 'main' };
    given([created, web]).when(update({ source: fixed })).then([{ type: 'ServiceSourceChanged', data: { ...ids, source: fixed } }]);
    given([created, web]).when(update({ source: { kind: 'git', url: 'git://git.example/shop.git', ref: 'main' } })).thenThrows(/git/);
  });

  it('refuses a deleted service or project', () => {
    const deleted: ServiceSettingsEvent = {
      type: 'ServiceDeleted',
      data: { ...ids, name: 'web', projectName: 'shop', domains: [], deleteVolumes: false, deletedAt: now },
    };
    given([created, web, deleted]).when(update({ port: 8080 })).thenThrows('Project shop has no service s_1');
    const gone: ServiceSettingsEvent = { type: 'ProjectDeleted', data: { projectId: 'p_1', name: 'shop', serviceIds: [], deleteVolumes: false, deletedAt: now } };
    given([created, web, gone]).when(update({ port: 8080 })).thenThrows('Project shop was deleted');
  });
});
