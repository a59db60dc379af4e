/** @jest-environment node */
import { edges, layers } from './graph-layout';

describe('service graph layout', () => {
  it('puts services without dependencies in one layer, in order', () => {
    expect(layers([{ id: 'a' }, { id: 'b' }]).map((l) => l.map((n) => n.id))).toEqual([['a', 'b']]);
  });
  it('puts a service one layer above its highest dependency; survives cycles and unknown ids', () => {
    const nodes = [{ id: 'web', dependsOn: ['api'] }, { id: 'api', dependsOn: ['db', 'gone'] }, { id: 'db' }, { id: 'x', dependsOn: ['y'] }, { id: 'y', dependsOn: ['x'] }];
    const result = layers(nodes).map((l) => l.map((n) => n.id));
    expect(result[0]).toContain('db');
    expect(result.flat().sort()).toEqual(['api', 'db', 'web', 'x', 'y']);
    expect(result.findIndex((l) => l.includes('web'))).toBe(2);
    expect(edges(nodes)).toEqual([
      { from: 'web', to: 'api' },
      { from: 'api', to: 'db' },
      { from: 'x', to: 'y' },
      { from: 'y', to: 'x' },
    ]);
  });
});
