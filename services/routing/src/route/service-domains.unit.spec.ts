import { exampleServiceSpec } from '@slipway/testing';
import { serviceHostnames } from './route.decider';
import { currentDomains } from './service-domains';

describe('current domains of a service', () => {
  it('starts from those it was created with and follows every change, ignoring other services', () => {
    const events = [
      { type: 'ServiceCreated', data: { serviceId: 's_1', spec: exampleServiceSpec({ domains: ['a.example.com'] }) } },
      { type: 'ServiceCreated', data: { serviceId: 's_2', spec: exampleServiceSpec({ domains: ['other.example.com'] }) } },
      { type: 'ServiceDomainAdded', data: { serviceId: 's_1', hostname: 'b.example.com', domains: ['a.example.com', 'b.example.com'] } },
      { type: 'ServiceDomainRemoved', data: { serviceId: 's_1', hostname: 'a.example.com', domains: ['b.example.com'] } },
      { type: 'ServiceSettingsChanged', data: { serviceId: 's_1', settings: { port: 8080 } } },
    ];
    expect(currentDomains(events, 's_1')).toEqual(['b.example.com']);
    expect(currentDomains(events, 's_2')).toEqual(['other.example.com']);
    expect(currentDomains(events, 's_3')).toEqual([]);
    expect(serviceHostnames('web', 'shop', 'apps.example.net', currentDomains(events, 's_1'))).toEqual(['web-shop.apps.example.net', 'b.example.com']);
  });
});
