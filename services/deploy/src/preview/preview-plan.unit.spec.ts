import { exampleServiceSpec } from '@slipway/testing';
import type { CatalogProject } from '../deployment/service-catalog';
import { planPreviewDeployments } from './preview-plan';

const repo = 'http://127.0.0.1:3300/acme/shop.git';
const gitSpec = (dependsOn: string[] = []) => exampleServiceSpec({ dependsOn, source: { kind: 'git', url: repo, ref: 'main' }, domains: ['shop.example.com'] });
const imageSpec = () => exampleServiceSpec({ source: { kind: 'image', ref: 'postgres:17' } });
const entry = (value: string) => ({ key: 'DATABASE_URL', secret: false as const, value });
const shop: CatalogProject = {
  name: 'shop',
  env: new Map([['DATABASE_URL', entry('postgres://db/prod')]]),
  previewEnv: new Map([['DATABASE_URL', entry('postgres://db/preview')]]),
  services: new Map([
    ['s_web', { name: 'web', names: ['web'], spec: gitSpec(['s_db']), env: new Map(), stopped: false }],
    ['s_db', { name: 'db', names: ['db'], spec: imageSpec(), env: new Map(), stopped: false }],
  ]),
};
const preview = { previewId: 'p_1-pr-7', projectId: 'p_1', slug: 'pr-7', repositoryUrl: 'http://127.0.0.1:3300/acme/shop', ref: 'a'.repeat(40) };
const images = new Map([['s_db', '127.0.0.1:5000/shop/db:17@sha256:' + 'b'.repeat(64)], ['s_web', '127.0.0.1:5000/shop/web:main']]);

describe('planPreviewDeployments', () => {
  it("copies every service: the repository's ones built at the head, the others on their current image, in dependency order", () => {
    const plan = planPreviewDeployments(shop, new Map(), preview, images, 'p_1-pr-7/g1@aaa');
    const web = plan.find((p) => p.serviceId === 's_web')!;
    const db = plan.find((p) => p.serviceId === 's_db')!;
    expect(web.serviceName).toBe('web-pr-7');
    expect(web.trigger).toEqual({ kind: 'preview', previewId: 'p_1-pr-7', slug: 'pr-7', ref: 'a'.repeat(40) });
    expect(db.serviceName).toBe('db-pr-7');
    expect(db.trigger).toEqual({ kind: 'preview', previewId: 'p_1-pr-7', slug: 'pr-7', imageRef: images.get('s_db') });
    expect(web.waitsFor).toEqual([{ deploymentId: db.deploymentId, serviceId: 's_db', serviceName: 'db' }]);
  });

  it('merges the preview level last and drops custom domains', () => {
    const [web] = planPreviewDeployments(shop, new Map(), preview, images, 'c');
    expect(web.spec.env).toEqual([{ key: 'DATABASE_URL', value: 'postgres://db/preview' }]);
    expect(web.spec.domains).toEqual([]);
  });

  it('a new head redeploys only the services built from the repository, waiting for nothing', () => {
    const plan = planPreviewDeployments(shop, new Map(), preview, images, 'c2', 'built-from-repository');
    expect(plan.map((p) => [p.serviceId, p.waitsFor, p.dependents])).toEqual([['s_web', [], []]]);
  });

  it('builds a service never deployed from its own source', () => {
    const plan = planPreviewDeployments(shop, new Map(), preview, new Map(), 'c');
    expect(plan.find((p) => p.serviceId === 's_db')!.trigger).toEqual({ kind: 'preview', previewId: 'p_1-pr-7', slug: 'pr-7' });
  });
});
