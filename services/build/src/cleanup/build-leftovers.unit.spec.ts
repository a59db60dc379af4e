import { planLeftovers, type LocalImage } from './build-leftovers';

const REG = '127.0.0.1:5000';
const names = { live: new Set(['shop']), deleted: new Set(['gone', 'shop']) };
const image = (id: string, tags: string[], size = 100, labels: Record<string, string> = {}): LocalImage => ({ id, tags, size, labels });

describe('build leftovers plan', () => {
  const images = [
    image('sha256:1', [`${REG}/shop/web:v1`], 500),
    image('sha256:2', [`${REG}/shop/web:v2`, `${REG}/shop/web:latest`], 600),
    image('sha256:3', [`${REG}/gone/api:abc`], 700),
    image('sha256:4', [], 80, { 'com.slipway.commit': 'abc' }),
    image('sha256:5', [], 90),
    image('sha256:6', ['node:24-bookworm-slim'], 213_000_000),
  ];

  it("removes local copies of the run's registry tags, a deleted project's images and untagged build images, counting an image's bytes once its last tag goes", () => {
    const removedTags = new Set([`${REG}/shop/web:v1`, `${REG}/shop/web:v2`]);
    const planned = planLeftovers({ registry: REG, images, removedTags, names, gitCaches: [] });
    expect(planned.map((p) => [p.name, p.bytes, p.reason])).toEqual([
      [`${REG}/shop/web:v1`, 500, 'its registry tag goes in this run'],
      // v2 shares its image with a tag that stays: no bytes come back
      [`${REG}/shop/web:v2`, 0, 'its registry tag goes in this run'],
      [`${REG}/gone/api:abc`, 700, 'project gone was deleted'],
      ['sha256:4', 80, 'an untagged image of an earlier build'],
    ]);
  });

  it("removes git caches of deleted projects only, never a live project's (even one re-created under a deleted one's name)", () => {
    const planned = planLeftovers({ registry: REG, images: [], removedTags: new Set(), names, gitCaches: [{ name: 'gone', bytes: 42 }, { name: 'shop', bytes: 9 }, { name: 'other', bytes: 1 }] });
    expect(planned).toEqual([{ kind: 'build-cache', name: 'git/gone', target: 'gone', bytes: 42, reason: 'project gone was deleted' }]);
  });
});
