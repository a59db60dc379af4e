import { exampleServiceSpec } from '@slipway/testing';
import type { CatalogProject } from '../deployment/service-catalog';
import { planCleanup, type Inventory, type PlanOptions, type SwarmServiceSeen } from './cleanup-plan';
import type { KnownDeployment, PlatformState } from './platform-state';

const REG = '127.0.0.1:5000';
const now = new Date('2026-11-30T12:00:00.000Z');
const options: PlanOptions = { registry: REG, keepDeployments: 2, minAgeMs: 600_000, now };
const longAgo = '2026-11-01T00:00:00.000Z';
const service = (name: string, names = [name]) => ({ name, names, spec: exampleServiceSpec(), env: new Map(), stopped: false });
const project = (name: string, services: Record<string, string>, extra: Partial<CatalogProject> = {}): CatalogProject => ({
  name,
  env: new Map(),
  services: new Map(Object.entries(services).map(([id, n]) => [id, service(n)])),
  ...extra,
});
const managed = (project: string, more: Record<string, string> = {}) => ({ 'slipway.managed': 'true', 'slipway.project': project, ...more });
const deployment = (id: string, serviceId: string, tag: string, endedAt: string, status: KnownDeployment['status'] = 'succeeded'): KnownDeployment => ({
  deploymentId: id,
  projectId: 'p_shop',
  serviceId,
  imageRef: `${REG}/shop/web:${tag}`,
  status,
  endedAt,
});

const state: PlatformState = {
  projects: new Map([
    ['p_shop', project('shop', { s_web: 'web' }, { deletedServices: new Map([['s_old', ['old']]]) })],
    ['p_gone', project('gone', { s_a: 'a' }, { deleted: true })],
  ]),
  previews: new Map([
    ['p_shop-pr-1', { projectId: 'p_shop', slug: 'pr-1', live: true }],
    ['p_shop-pr-2', { projectId: 'p_shop', slug: 'pr-2', live: false }],
  ]),
  deployments: [
    deployment('d1', 's_web', 'v1', '2026-11-01T00:00:00.000Z'),
    deployment('d2', 's_web', 'v2', '2026-11-02T00:00:00.000Z'),
    deployment('d3', 's_web', 'v3', '2026-11-03T00:00:00.000Z'),
    deployment('d4', 's_web', 'v4', '2026-11-04T00:00:00.000Z'),
    deployment('d5', 's_web', 'v5', '2026-11-05T00:00:00.000Z', 'unfinished'),
  ],
};

const inventory = (over: Partial<Inventory> = {}): Inventory => ({
  swarmServices: [],
  networks: [],
  repositories: new Map(),
  ...over,
});

describe('clean-up plan: what is an orphan', () => {
  it('removes Swarm services of deleted and unknown projects, deleted services and torn-down previews, and nothing else', () => {
    const swarmServices: SwarmServiceSeen[] = [
      { name: 'gone-a', labels: managed('p_gone', { 'slipway.service': 's_a' }), createdAt: longAgo, networks: [] },
      { name: 'ghost-x', labels: managed('p_ghost', { 'slipway.service': 's_x' }), createdAt: longAgo, networks: [] },
      { name: 'shop-old', labels: managed('p_shop', { 'slipway.service': 's_old' }), createdAt: longAgo, networks: [] },
      { name: 'shop-web-pr-2', labels: managed('p_shop', { 'slipway.service': 's_web-pr-2', 'slipway.preview': 'p_shop-pr-2' }), createdAt: longAgo, networks: [] },
      // kept: live service, live preview, too young, a test's fixture, the control plane, a stranger
      { name: 'shop-web', labels: managed('p_shop', { 'slipway.service': 's_web' }), createdAt: longAgo, networks: [] },
      { name: 'shop-web-pr-1', labels: managed('p_shop', { 'slipway.service': 's_web-pr-1', 'slipway.preview': 'p_shop-pr-1' }), createdAt: longAgo, networks: [] },
      { name: 'ghost-new', labels: managed('p_ghost'), createdAt: '2026-11-30T11:59:00.000Z', networks: [] },
      { name: 'fixture', labels: managed('p_ghost', { 'slipway.test': 'swarm' }), createdAt: longAgo, networks: [] },
      { name: 'slipway-caddy', labels: { 'com.slipway.role': 'edge' }, createdAt: longAgo, networks: [] },
      { name: 'someone-else', labels: {}, createdAt: longAgo, networks: [] },
    ];
    const plan = planCleanup(state, inventory({ swarmServices }), options);
    expect(plan.swarmServices).toEqual([
      { name: 'gone-a', reason: 'project gone was deleted' },
      { name: 'ghost-x', reason: 'project p_ghost does not exist' },
      { name: 'shop-old', reason: 'service s_old of project shop was deleted' },
      { name: 'shop-web-pr-2', reason: 'preview p_shop-pr-2 was torn down' },
    ]);
  });

  it('removes networks of gone projects and torn-down previews only once no remaining service uses them', () => {
    const networks = [
      { id: 'n1', name: 'slipway-gone', labels: managed('p_gone'), createdAt: longAgo },
      { id: 'n2', name: 'slipway-shop-pr-2', labels: managed('p_shop'), createdAt: longAgo },
      { id: 'n3', name: 'slipway-shop', labels: managed('p_shop'), createdAt: longAgo },
      { id: 'n4', name: 'slipway-shop-pr-1', labels: managed('p_shop'), createdAt: longAgo },
      // a project re-created under the name of a deleted one reuses its network (and its old label)
      { id: 'n5', name: 'slipway-shop', labels: managed('p_old_shop'), createdAt: longAgo },
      { id: 'n6', name: 'slipway-ghost', labels: managed('p_ghost'), createdAt: longAgo },
      { id: 'n7', name: 'slipway-edge', labels: {}, createdAt: longAgo },
    ];
    const swarmServices = [
      { name: 'ghost-x', labels: managed('p_ghost', { 'slipway.service': 's_x' }), createdAt: longAgo, networks: ['n6'] },
      { name: 'other', labels: {}, createdAt: longAgo, networks: ['n1'] },
    ];
    const plan = planCleanup(state, inventory({ networks, swarmServices }), options);
    expect(plan.networks).toEqual([
      { name: 'slipway-shop-pr-2', reason: 'preview p_shop-pr-2 was torn down' },
      // its only service is an orphan removed first
      { name: 'slipway-ghost', reason: 'project p_ghost does not exist' },
    ]);
  });
});

describe('clean-up plan: which registry tags go', () => {
  const repositories = new Map<string, string[]>([
    ['shop/web', ['v1', 'v2', 'v3', 'v4', 'v5', 'manual']],
    ['shop/old', ['a1']],
    ['shop/web-pr-1', ['p1']],
    ['shop/web-pr-2', ['p2']],
    ['gone/a', ['x']],
    ['slipway-test/app', ['1']],
    ['unknown/thing', ['1']],
  ]);

  it('keeps the newest successful deployments, the one under way and whatever runs; removes the older ones', () => {
    const plan = planCleanup(state, inventory({ repositories }), options);
    const tags = plan.registryTags.map((t) => t.name);
    expect(tags).toEqual(expect.arrayContaining([`${REG}/shop/web:v1`, `${REG}/shop/web:v2`]));
    for (const kept of ['v3', 'v4', 'v5', 'manual']) expect(tags).not.toContain(`${REG}/shop/web:${kept}`);
    expect(plan.registryTags.find((t) => t.tag === 'v1')?.reason).toBe('image of deployment d1 of shop/web (succeeded 2026-11-01); 2 newer successful deployments keep theirs');
  });

  it("never removes an image from a repository that is not the service's own (an image source in the registry is its owner's)", () => {
    const elsewhere = { ...state, deployments: state.deployments.map((d) => (d.deploymentId === 'd1' ? { ...d, imageRef: `${REG}/ci/app:v1` } : d)) };
    const repos = new Map([...repositories, ['ci/app', ['v1']]]);
    const tags = planCleanup(elsewhere, inventory({ repositories: repos }), options).registryTags.map((t) => t.name);
    expect(tags).not.toContain(`${REG}/ci/app:v1`);
    expect(tags).toContain(`${REG}/shop/web:v2`);
  });

  it('never removes an image a Swarm service runs, even beyond the newest', () => {
    const swarmServices = [{ name: 'shop-web', labels: managed('p_shop', { 'slipway.service': 's_web' }), createdAt: longAgo, image: `${REG}/shop/web:v1@sha256:abc`, networks: [] }];
    const tags = planCleanup(state, inventory({ repositories, swarmServices }), options).registryTags.map((t) => t.tag);
    expect(tags).not.toContain('v1');
    expect(tags).toContain('v2');
  });

  it('keeps at least the current and the previous successful deployment, whatever the setting', () => {
    const tags = planCleanup(state, inventory({ repositories }), { ...options, keepDeployments: 0 }).registryTags.filter((t) => t.repository === 'shop/web').map((t) => t.tag);
    expect(tags.sort()).toEqual(['v1', 'v2']);
  });

  it('removes every tag of repositories the catalog proves orphaned, and leaves repositories it does not know', () => {
    const plan = planCleanup(state, inventory({ repositories }), options);
    const byRepo = (r: string) => plan.registryTags.filter((t) => t.repository === r).map((t) => t.reason);
    expect(byRepo('shop/old')).toEqual(['service old of project shop was deleted']);
    expect(byRepo('shop/web-pr-2')).toEqual(['the preview that ran web-pr-2 was torn down']);
    expect(byRepo('gone/a')).toEqual(['project gone was deleted']);
    for (const kept of ['shop/web-pr-1', 'slipway-test/app', 'unknown/thing']) expect(byRepo(kept)).toEqual([]);
  });
});
