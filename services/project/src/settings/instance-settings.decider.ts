import { aggregate, type Decider } from '@slipway/event-store';
import { DEFAULT_BASE_DOMAIN, INSTANCE_ID, type EventData, type InstanceSettingsChanged } from '@slipway/proto';

type Settings = EventData<typeof InstanceSettingsChanged>;
export type InstanceSettingsCommand = { type: 'SetInstanceSettings'; data: Partial<Settings> };
export type InstanceSettingsEvent = { type: 'InstanceSettingsChanged'; data: Settings };
export type InstanceSettingsState = Settings;

/** The settings that decide routing, for the whole instance. Setting what is already set says nothing. */
export const instanceSettingsDecider: Decider<InstanceSettingsCommand, InstanceSettingsEvent, InstanceSettingsState> = {
  initialState: { baseDomain: DEFAULT_BASE_DOMAIN, acmeDirectory: null },
  decide: (command, state) => {
    const next: Settings = {
      baseDomain: command.data.baseDomain ?? state.baseDomain,
      acmeDirectory: command.data.acmeDirectory === undefined ? state.acmeDirectory : command.data.acmeDirectory,
    };
    return next.baseDomain === state.baseDomain && next.acmeDirectory === state.acmeDirectory ? [] : [{ type: 'InstanceSettingsChanged', data: next }];
  },
  evolve: (_state, event) => ({ baseDomain: event.data.baseDomain, acmeDirectory: event.data.acmeDirectory ?? null }),
};

/** Bound to its one stream: platform.project.events.instance-settings.global. */
export const instanceSettings = aggregate({
  decider: instanceSettingsDecider,
  stream: () => ({ context: 'project', aggregate: 'instance-settings', id: INSTANCE_ID }),
});
