import { aggregate, type Decider } from '@slipway/event-store';
import { DEFAULT_BASE_DOMAIN, INSTANCE_ID, type EventData, type InstanceSettingsChanged } from '@slipway/proto';

export type InstanceSettingsCommand = { type: 'SetInstanceSettings'; data: EventData<typeof InstanceSettingsChanged> };
export type InstanceSettingsEvent = { type: 'InstanceSettingsChanged'; data: EventData<typeof InstanceSettingsChanged> };
export type InstanceSettingsState = { baseDomain: string };

/** The settings that decide routing, for the whole instance. Setting what is already set says nothing. */
export const instanceSettingsDecider: Decider<InstanceSettingsCommand, InstanceSettingsEvent, InstanceSettingsState> = {
  initialState: { baseDomain: DEFAULT_BASE_DOMAIN },
  decide: (command, state) =>
    command.data.baseDomain === state.baseDomain ? [] : [{ type: 'InstanceSettingsChanged', data: command.data }],
  evolve: (state, event) => (event.type === 'InstanceSettingsChanged' ? { ...state, baseDomain: event.data.baseDomain } : state),
};

/** Bound to its one stream: platform.project.events.instance-settings.global. */
export const instanceSettings = aggregate({
  decider: instanceSettingsDecider,
  stream: () => ({ context: 'project', aggregate: 'instance-settings', id: INSTANCE_ID }),
});
