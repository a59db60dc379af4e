import { deciderSpec } from '@slipway/testing';
import { routeDecider, serviceHostnames, type RouteEvent } from './route.decider';

const assigned: RouteEvent = {
  type: 'RouteAssigned',
  data: {
    routeId: 's_1',
    serviceId: 's_1',
    hostnames: ['web-shop.localhost'],
    upstream: { dnsName: 'tasks.shop-web', port: 3000 },
    network: 'slipway-shop',
  },
};
const { given } = deciderSpec(routeDecider);

describe('route decider', () => {
  it('assigns a route once and reassigns only on change', () => {
    given([]).when({ type: 'AssignRoute', data: assigned.data as never }).then([assigned]);
    given([assigned]).when({ type: 'AssignRoute', data: assigned.data as never }).then([]);
    const moved = { ...assigned.data, hostnames: ['web-shop.localhost', 'shop.example.com'] } as never;
    given([assigned]).when({ type: 'AssignRoute', data: moved }).then([{ type: 'RouteAssigned', data: moved }]);
  });

  it('activates a route for each deployment once', () => {
    const activated: RouteEvent = { type: 'RouteActivated', data: { routeId: 's_1', deploymentId: 'd_1', url: 'https://web-shop.localhost' } };
    given([assigned]).when({ type: 'ActivateRoute', data: activated.data as never }).then([activated]);
    given([assigned, activated]).when({ type: 'ActivateRoute', data: activated.data as never }).then([]);
  });
});

describe('service hostnames', () => {
  it('puts <service>-<project>.<base> first, then custom domains', () => {
    expect(serviceHostnames('web', 'shop', 'localhost', ['shop.example.com'])).toEqual(['web-shop.localhost', 'shop.example.com']);
  });

  it('keeps a long pair within one 63-character DNS label, and unique', () => {
    const a = serviceHostnames('a'.repeat(40), 'b'.repeat(40), 'apps.example.com', [])[0];
    const b = serviceHostnames('a'.repeat(40), 'c'.repeat(40), 'apps.example.com', [])[0];
    expect(a.split('.')[0].length).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
  });
});
