import { deciderSpec } from '@slipway/testing';
import { instanceSettingsDecider, type InstanceSettingsEvent } from './instance-settings.decider';

const { given } = deciderSpec(instanceSettingsDecider);
const le = 'https://acme-v02.api.letsencrypt.org/directory';
const changed = (baseDomain: string, acmeDirectory: string | null = null): InstanceSettingsEvent => ({
  type: 'InstanceSettingsChanged',
  data: { baseDomain, acmeDirectory },
});

describe('instance settings', () => {
  it('starts at localhost with the machine\u2019s CA, and records a change once', () => {
    expect(instanceSettingsDecider.initialState).toEqual({ baseDomain: 'localhost', acmeDirectory: null });
    given([]).when({ type: 'SetInstanceSettings', data: { baseDomain: 'apps.example.com' } }).then([changed('apps.example.com')]);
    given([changed('apps.example.com')]).when({ type: 'SetInstanceSettings', data: { baseDomain: 'apps.example.com' } }).then([]);
    given([]).when({ type: 'SetInstanceSettings', data: { baseDomain: 'localhost' } }).then([]);
  });

  it('changes only what is given, and goes back to the machine\u2019s CA on null', () => {
    given([changed('apps.example.com')]).when({ type: 'SetInstanceSettings', data: { acmeDirectory: le } }).then([changed('apps.example.com', le)]);
    given([changed('apps.example.com', le)]).when({ type: 'SetInstanceSettings', data: { baseDomain: 'x.example.com' } }).then([changed('x.example.com', le)]);
    given([changed('apps.example.com', le)]).when({ type: 'SetInstanceSettings', data: { acmeDirectory: null } }).then([changed('apps.example.com')]);
  });
});
