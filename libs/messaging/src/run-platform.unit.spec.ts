import { PARTS, partsFrom } from './run-platform';

describe('SLIPWAY_SERVICES', () => {
  it('runs every service, then the gateway, when unset, empty or "all"', () => {
    for (const value of [undefined, '', ' ', 'all', 'gateway,all']) expect(partsFrom(value)).toEqual(PARTS);
    expect(PARTS.at(-1)).toBe('gateway');
    expect(PARTS).toEqual(['project', 'build', 'deploy', 'routing', 'preview', 'quota', 'metrics', 'backup', 'gateway']);
  });

  it('runs a subset in start order, whatever order it is written in, once each', () => {
    expect(partsFrom('gateway, build')).toEqual(['build', 'gateway']);
    expect(partsFrom('deploy,build,deploy')).toEqual(['build', 'deploy']);
    expect(partsFrom('metrics')).toEqual(['metrics']);
  });

  it('names what it does not know, and what it knows', () => {
    expect(() => partsFrom('gateway,bulid')).toThrow('SLIPWAY_SERVICES names "bulid", which is not a part of Slipway: use "all" or some of project, build, deploy, routing, preview, quota, metrics, backup, gateway');
    expect(() => partsFrom('a,b')).toThrow('"a", "b", which are not parts');
  });
});
