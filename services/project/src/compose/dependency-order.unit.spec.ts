import { dependencyOrder, DependencyNode } from './dependency-order';

const node = (name: string, ...deps: string[]): DependencyNode => ({ name, dependencies: deps.map((service) => ({ service })) });

describe('dependencyOrder', () => {
  it('deploys in waves: dependencies first, independent services together, in the order given', () => {
    const order = dependencyOrder([node('web', 'api'), node('worker', 'db', 'cache'), node('api', 'db', 'cache'), node('db'), node('cache')]);
    expect(order).toEqual({ ok: true, waves: [['db', 'cache'], ['worker', 'api'], ['web']] });
  });

  it('puts services without dependencies in one wave', () => {
    expect(dependencyOrder([node('a'), node('b'), node('c')])).toEqual({ ok: true, waves: [['a', 'b', 'c']] });
    expect(dependencyOrder([])).toEqual({ ok: true, waves: [] });
  });

  it('names a cycle the way a person follows it', () => {
    expect(dependencyOrder([node('db'), node('web', 'api'), node('api', 'web')])).toEqual({
      ok: false,
      reason: 'cycle',
      cycle: ['web', 'api', 'web'],
      message: 'the dependencies form a cycle: web → api → web',
    });
  });

  it('names only the cycle when others merely wait on it', () => {
    const order = dependencyOrder([node('front', 'web'), node('web', 'api'), node('api', 'worker'), node('worker', 'api')]);
    expect(order).toMatchObject({ ok: false, cycle: ['api', 'worker', 'api'] });
  });

  it('finds a service depending on itself', () => {
    expect(dependencyOrder([node('loop', 'loop')])).toMatchObject({ ok: false, message: 'the dependencies form a cycle: loop → loop' });
  });

  it('refuses a dependency that is not a service', () => {
    expect(dependencyOrder([node('web', 'db')])).toEqual({
      ok: false,
      reason: 'unknown',
      service: 'web',
      dependency: 'db',
      message: 'web depends on db, which is not a service of this project',
    });
  });
});
