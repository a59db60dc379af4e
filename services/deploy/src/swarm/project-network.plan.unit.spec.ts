import { planNetwork, preferredIndex, subnetAt } from './project-network.plan';

describe('project network address plan', () => {
  it('gives a /24 from 10.208.0.0/12 with tasks in the lower half and the edge address on top', () => {
    expect(subnetAt(0)).toEqual({ subnet: '10.208.0.0/24', ipRange: '10.208.0.0/25', edgeAddress: '10.208.0.254' });
    expect(subnetAt(4095)).toEqual({ subnet: '10.223.255.0/24', ipRange: '10.223.255.0/25', edgeAddress: '10.223.255.254' });
    expect(subnetAt(4096)).toEqual(subnetAt(0));
  });

  it('starts from a subnet stable for the name and skips taken ones', () => {
    const first = planNetwork('slipway-shop', []);
    expect(planNetwork('slipway-shop', [])).toEqual(first);
    expect(first).toEqual(subnetAt(preferredIndex('slipway-shop')));
    const next = planNetwork('slipway-shop', [first.subnet]);
    expect(next).toEqual(subnetAt(preferredIndex('slipway-shop') + 1));
  });
});
