import { deciderSpec } from '@slipway/testing';
import { instanceSettingsDecider, type InstanceSettingsEvent } from './instance-settings.decider';

const { given } = deciderSpec(instanceSettingsDecider);
const changed = (baseDomain: string): InstanceSettingsEvent => ({ type: 'InstanceSettingsChanged', data: { baseDomain } });

describe('instance settings', () => {
  it('starts at localhost and records a change of base domain once', () => {
    expect(instanceSettingsDecider.initialState).toEqual({ baseDomain: 'localhost' });
    given([]).when({ type: 'SetInstanceSettings', data: { baseDomain: 'apps.example.com' } }).then([changed('apps.example.com')]);
    given([changed('apps.example.com')]).when({ type: 'SetInstanceSettings', data: { baseDomain: 'apps.example.com' } }).then([]);
    given([]).when({ type: 'SetInstanceSettings', data: { baseDomain: 'localhost' } }).then([]);
  });
});
