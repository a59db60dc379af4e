import { commitTag, localBuildTag, parseImageReference, serviceRepository, tagFromSource } from './image-reference';

describe('image references', () => {
  it('splits a reference into repository, registry, tag and digest', () => {
    expect(parseImageReference('node:24-bookworm-slim')).toEqual({ repository: 'node', tag: '24-bookworm-slim' });
    expect(parseImageReference('127.0.0.1:5000/shop/web:abc')).toEqual({ repository: '127.0.0.1:5000/shop/web', domain: '127.0.0.1:5000', tag: 'abc' });
    expect(parseImageReference('ghcr.io/acme/api@sha256:' + 'a'.repeat(64))).toEqual({
      repository: 'ghcr.io/acme/api',
      domain: 'ghcr.io',
      digest: 'sha256:' + 'a'.repeat(64),
    });
    expect(parseImageReference('acme/api')).toEqual({ repository: 'acme/api' });
    expect(parseImageReference('localhost/api:1')).toEqual({ repository: 'localhost/api', domain: 'localhost', tag: '1' });
  });

  it('names images by project, service and commit', () => {
    expect(serviceRepository('127.0.0.1:5000', 'shop', 'web')).toBe('127.0.0.1:5000/shop/web');
    expect(commitTag('0123456789abcdef0123456789abcdef01234567')).toBe('0123456789ab');
    expect(localBuildTag('shop', 'web', '01JABC_x')).toBe('shop/web:build-01JABC_x');
  });

  it('derives the tag of a copied image from its source reference', () => {
    expect(tagFromSource(parseImageReference('nginx:1.27-alpine'))).toBe('1.27-alpine');
    expect(tagFromSource(parseImageReference('nginx@sha256:' + 'b'.repeat(64)))).toBe('sha256-bbbbbbbbbbbb');
    expect(tagFromSource(parseImageReference('nginx'))).toBe('latest');
  });
});
