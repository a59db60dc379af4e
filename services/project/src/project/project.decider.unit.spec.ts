import { deciderSpec, exampleServiceSpec } from '@slipway/testing';
import { projectDecider, type ProjectEvent } from './project.decider';
import { projectNameDecider } from './project-name.decider';
import type { SourcePolicy } from '../settings/source-rules';

const now = '2026-11-28T10:00:00.000Z';
const spec = exampleServiceSpec({ source: { kind: 'image', ref: 'nginx:1' }, port: 80 });
const created: ProjectEvent = { type: 'ProjectCreated', data: { projectId: 'p_1', name: 'shop', createdAt: now } };
const web: ProjectEvent = { type: 'ServiceCreated', data: { projectId: 'p_1', serviceId: 's_1', name: 'web', spec } };
const { given } = deciderSpec(projectDecider);
const sourcePolicy: SourcePolicy = { callerStanding: 'member', allowedHttpGitHosts: [] };

describe('project decider', () => {
  it('creates a project, and treats the same request again as done', () => {
    given([]).when({ type: 'CreateProject', data: { projectId: 'p_1', name: 'shop' }, now }).then([created]);
    given([created]).when({ type: 'CreateProject', data: { projectId: 'p_1', name: 'shop' }, now }).then([]);
  });

  it('adds services with names unique within the project', () => {
    given([created]).when({ type: 'CreateService', data: web.data as never, platformDomain: 'localhost', sourcePolicy }).then([web]);
    given([created, web])
      .when({ type: 'CreateService', data: { projectId: 'p_1', serviceId: 's_2', name: 'web', spec }, platformDomain: 'localhost', sourcePolicy })
      .thenThrows('Project shop already has a service named "web"');
    given([]).when({ type: 'CreateService', data: web.data as never, platformDomain: 'localhost', sourcePolicy }).thenThrows('No project p_1');
  });

  it('security: refuses a domain under the platform\u2019s own at creation, as addDomain does (another project\u2019s automatic name)', () => {
    const taking = { projectId: 'p_1', serviceId: 's_2', name: 'api', spec: { ...spec, domains: ['web-other.apps.example.com'] } };
    given([created])
      .when({ type: 'CreateService', data: taking, platformDomain: 'apps.example.com', sourcePolicy })
      .thenThrows("web-other.apps.example.com is under apps.example.com, the platform's own domain, where services get their names automatically; use a domain of your own");
    given([created])
      .when({ type: 'CreateService', data: { ...taking, spec: { ...spec, domains: ['shop.example.com'] } }, platformDomain: 'apps.example.com', sourcePolicy })
      .then([{ type: 'ServiceCreated', data: { ...taking, spec: { ...spec, domains: ['shop.example.com'] } } }]);
  });
});

describe('security: a service\u2019s source at creation', () => {
  const withSource = (source: object) => ({ projectId: 'p_1', serviceId: 's_2', name: 'api', spec: { ...spec, source } }) as never;
  it('refuses a project admin\u2019s local repository and lets the instance owner have one', () => {
    const local = withSource({ kind: 'git', url: 'file:///var/lib/slipway/build/git/x', ref: 'main' });
    given([created])
      .when({ type: 'CreateService', data: local, platformDomain: 'localhost', sourcePolicy })
      .thenThrows(/only the instance owner may build one/);
    given([created])
      .when({ type: 'CreateService', data: local, platformDomain: 'localhost', sourcePolicy: { ...sourcePolicy, callerStanding: 'instance-owner' } })
      .then([{ type: 'ServiceCreated', data: local }]);
  });

  it('refuses another project\u2019s image in Slipway\u2019s registry', () => {
    const image = withSource({ kind: 'image', ref: '127.0.0.1:5000/other/web:abc' });
    const imageProject = { name: 'other', projectId: 'p_9' };
    given([created])
      .when({ type: 'CreateService', data: image, platformDomain: 'localhost', sourcePolicy: { ...sourcePolicy, imageProject } })
      .thenThrows(/project other's builds/);
  });
});

describe('project name claim', () => {
  const claim = (projectId: string) => ({ type: 'ClaimProjectName' as const, data: { name: 'shop', projectId } });
  const claimed = { type: 'ProjectNameClaimed' as const, data: { name: 'shop', projectId: 'p_1' } };
  it('lets the first project take a name and refuses the rest', () => {
    deciderSpec(projectNameDecider).given([]).when(claim('p_1')).then([claimed]);
    deciderSpec(projectNameDecider).given([claimed]).when(claim('p_1')).then([]);
    deciderSpec(projectNameDecider).given([claimed]).when(claim('p_2')).thenThrows(/A project named "shop" already exists/);
  });
});

describe('a deleted project', () => {
  const released = { type: 'ProjectNameReleased' as const, data: { name: 'shop', projectId: 'p_1' } };
  const claimed = { type: 'ProjectNameClaimed' as const, data: { name: 'shop', projectId: 'p_1' } };

  it('gives its name back, to be claimed by a new project', () => {
    const release = { type: 'ReleaseProjectName' as const, data: { name: 'shop', projectId: 'p_1' } };
    deciderSpec(projectNameDecider).given([claimed]).when(release).then([released]);
    deciderSpec(projectNameDecider).given([claimed, released]).when(release).then([]);
    deciderSpec(projectNameDecider).given([claimed]).when({ ...release, data: { name: 'shop', projectId: 'p_2' } }).then([]);
    deciderSpec(projectNameDecider)
      .given([claimed, released])
      .when({ type: 'ClaimProjectName', data: { name: 'shop', projectId: 'p_2' } })
      .then([{ type: 'ProjectNameClaimed', data: { name: 'shop', projectId: 'p_2' } }]);
  });
});

describe('a project whose services are renamed or deleted', () => {
  it('frees the name of a deleted service, follows renames, and takes no service once deleted', () => {
    const deleted: ProjectEvent = {
      type: 'ServiceDeleted',
      data: { projectId: 'p_1', serviceId: 's_1', name: 'web', projectName: 'shop', domains: [], deleteVolumes: false, deletedAt: now },
    };
    const again = { type: 'CreateService' as const, data: { projectId: 'p_1', serviceId: 's_2', name: 'web', spec }, platformDomain: 'localhost', sourcePolicy };
    given([created, web, deleted]).when(again).then([{ type: 'ServiceCreated', data: again.data }]);
    const renamed: ProjectEvent = { type: 'ServiceRenamed', data: { projectId: 'p_1', serviceId: 's_1', name: 'front', previousName: 'web' } };
    given([created, web, renamed]).when(again).then([{ type: 'ServiceCreated', data: again.data }]);
    const gone: ProjectEvent = { type: 'ProjectDeleted', data: { projectId: 'p_1', name: 'shop', serviceIds: [], deleteVolumes: false, deletedAt: now } };
    given([created, gone]).when(again).thenThrows('Project shop was deleted');
  });
});
