import { volumesOf } from './volumes.resolver';

describe("a service's volumes as the API lists them", () => {
  it('joins the catalog with what Docker holds: sizes of mounted ones, and those removed but not yet deleted', () => {
    const service = { volumes: [{ name: 'data', mountPath: '/data' }, { name: 'new', mountPath: '/new' }] };
    const docker = [
      { name: 'data', dockerVolume: 'slipway.p.s.data', sizeBytes: 4096, usedBy: 1 },
      { name: 'old', dockerVolume: 'slipway.p.s.old', sizeBytes: null, usedBy: 0 },
    ];
    expect(volumesOf(service, docker)).toEqual([
      { name: 'data', mountPath: '/data', dockerVolume: 'slipway.p.s.data', sizeBytes: 4096, state: 'MOUNTED' },
      { name: 'new', mountPath: '/new', dockerVolume: null, sizeBytes: null, state: 'MOUNTED' },
      { name: 'old', mountPath: '', dockerVolume: 'slipway.p.s.old', sizeBytes: null, state: 'REMOVING' },
    ]);
    expect(volumesOf({}, [])).toEqual([]);
  });
});
