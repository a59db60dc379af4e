import { deciderSpec } from '@slipway/testing';
import { instanceSettingsDecider, type InstanceSettingsEvent } from './instance-settings.decider';

const { given } = deciderSpec(instanceSettingsDecider);
const le = 'https://acme-v02.api.letsencrypt.org/directory';
const changed = (baseDomain: string, acmeDirectory: string | null = null, allowedHttpGitHosts: string[] = []): InstanceSettingsEvent => ({
  type: 'InstanceSettingsChanged',
  data: { baseDomain, acmeDirectory, allowedHttpGitHosts },
});

describe('instance settings', () => {
  it('starts at localhost with the machine\u2019s CA, and records a change once', () => {
    expect(instanceSettingsDecider.initialState).toEqual({ baseDomain: 'localhost', acmeDirectory: null, allowedHttpGitHosts: [] });
    given([]).when({ type: 'SetInstanceSettings', data: { baseDomain: 'apps.example.com' } }).then([changed('apps.example.com')]);
    given([changed('apps.example.com')]).when({ type: 'SetInstanceSettings', data: { baseDomain: 'apps.example.com' } }).then([]);
    given([]).when({ type: 'SetInstanceSettings', data: { baseDomain: 'localhost' } }).then([]);
  });

  it('changes only what is given, and goes back to the machine\u2019s CA on null', () => {
    given([changed('apps.example.com')]).when({ type: 'SetInstanceSettings', data: { acmeDirectory: le } }).then([changed('apps.example.com', le)]);
    given([changed('apps.example.com', le)]).when({ type: 'SetInstanceSettings', data: { baseDomain: 'x.example.com' } }).then([changed('x.example.com', le)]);
    given([changed('apps.example.com', le)]).when({ type: 'SetInstanceSettings', data: { acmeDirectory: null } }).then([changed('apps.example.com')]);
  });

  it('keeps the hosts git may reach over plain http as a set; an older event without them allows none', () => {
    const before: InstanceSettingsEvent = { type: 'InstanceSettingsChanged', data: { baseDomain: 'localhost', acmeDirectory: null } };
    given([before])
      .when({ type: 'SetInstanceSettings', data: { allowedHttpGitHosts: ['gitea.lan', '10.0.0.5:3000', 'gitea.lan'] } })
      .then([changed('localhost', null, ['10.0.0.5:3000', 'gitea.lan'])]);
    given([changed('localhost', null, ['gitea.lan'])]).when({ type: 'SetInstanceSettings', data: { allowedHttpGitHosts: ['gitea.lan'] } }).then([]);
    given([changed('localhost', null, ['gitea.lan'])]).when({ type: 'SetInstanceSettings', data: { baseDomain: 'x.example.com' } }).then([changed('x.example.com', null, ['gitea.lan'])]);
    given([changed('localhost', null, ['gitea.lan'])]).when({ type: 'SetInstanceSettings', data: { allowedHttpGitHosts: [] } }).then([changed('localhost')]);
  });
});
