import { EDGE_ADDRESS_LABEL, edgeAddressOf } from './caddy-network.adapter';

describe('the edge address on a project network', () => {
  it('comes from the label the deploy service sets', () => {
    expect(edgeAddressOf({ Id: 'n', Name: 'slipway-shop', Labels: { [EDGE_ADDRESS_LABEL]: '10.208.3.254' } })).toBe('10.208.3.254');
    expect(edgeAddressOf({ Id: 'n', Name: 'slipway-shop', Labels: { [EDGE_ADDRESS_LABEL]: '10.208.3.254' } }, 1)).toBe('10.208.3.253');
  });

  it('else is the top of a /24 whose ip-range leaves it out', () => {
    expect(edgeAddressOf({ Id: 'n', Name: 'x', IPAM: { Config: [{ Subnet: '10.9.8.0/24', IPRange: '10.9.8.0/25' }] } })).toBe('10.9.8.254');
  });

  it('is undefined when nothing is reserved (Docker would pick an address Swarm may give a task later)', () => {
    expect(edgeAddressOf({ Id: 'n', Name: 'x', IPAM: { Config: [{ Subnet: '10.0.5.0/24' }] } })).toBeUndefined();
    expect(edgeAddressOf({ Id: 'n', Name: 'x', IPAM: { Config: [{ Subnet: '10.9.8.0/24', IPRange: '10.9.8.128/25' }] } })).toBeUndefined();
    expect(edgeAddressOf({ Id: 'n', Name: 'x', IPAM: { Config: null } })).toBeUndefined();
  });
});
