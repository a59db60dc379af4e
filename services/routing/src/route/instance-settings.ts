import type { EventStore } from '@slipway/event-store';
import { DEFAULT_BASE_DOMAIN, INSTANCE_ID } from '@slipway/proto';

/**
 * The instance's base domain as the event store says now (the project service decides it): read
 * at each routing decision, so every routing instance names services alike, whatever its environment.
 */
export const currentBaseDomain = async (store: EventStore): Promise<string> => {
  const { events } = await store.read({ context: 'project', aggregate: 'instance-settings', id: INSTANCE_ID });
  return events.reduce((domain, e) => (e.type === 'InstanceSettingsChanged' ? String(e.data.baseDomain) : domain), DEFAULT_BASE_DOMAIN);
};
