import { aggregate, type Decider } from '@slipway/event-store';
import { DEFAULT_BASE_DOMAIN, INSTANCE_ID, type EventData, type InstanceSettingsChanged } from '@slipway/proto';

type Settings = EventData<typeof InstanceSettingsChanged>;
export type InstanceSettingsCommand = { type: 'SetInstanceSettings'; data: Partial<Settings> };
export type InstanceSettingsEvent = { type: 'InstanceSettingsChanged'; data: Settings };
/** Events from before the allow list existed have none: no host is allowed. */
export type InstanceSettingsState = Required<Settings>;

/** Hosts are compared as a set: order and repeats say nothing. */
const hostList = (hosts: readonly string[]) => [...new Set(hosts)].sort();

/**
 * The settings of the whole instance: routing (base domain, ACME directory) and the hosts git
 * sources may reach over plain http. Setting what is already set says nothing.
 */
export const instanceSettingsDecider: Decider<InstanceSettingsCommand, InstanceSettingsEvent, InstanceSettingsState> = {
  initialState: { baseDomain: DEFAULT_BASE_DOMAIN, acmeDirectory: null, allowedHttpGitHosts: [] },
  decide: (command, state) => {
    const next: InstanceSettingsState = {
      baseDomain: command.data.baseDomain ?? state.baseDomain,
      acmeDirectory: command.data.acmeDirectory === undefined ? state.acmeDirectory : command.data.acmeDirectory,
      allowedHttpGitHosts: command.data.allowedHttpGitHosts ? hostList(command.data.allowedHttpGitHosts) : state.allowedHttpGitHosts,
    };
    const same =
      next.baseDomain === state.baseDomain &&
      next.acmeDirectory === state.acmeDirectory &&
      next.allowedHttpGitHosts.join(' ') === state.allowedHttpGitHosts.join(' ');
    return same ? [] : [{ type: 'InstanceSettingsChanged', data: next }];
  },
  evolve: (_state, event) => ({
    baseDomain: event.data.baseDomain,
    acmeDirectory: event.data.acmeDirectory ?? null,
    allowedHttpGitHosts: hostList(event.data.allowedHttpGitHosts ?? []),
  }),
};

/** Bound to its one stream: platform.project.events.instance-settings.global. */
export const instanceSettings = aggregate({
  decider: instanceSettingsDecider,
  stream: () => ({ context: 'project', aggregate: 'instance-settings', id: INSTANCE_ID }),
});
