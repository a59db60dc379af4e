import { DEFAULT_BASE_DOMAIN, INSTANCE_ID } from '@slipway/proto';
import type { Projection } from '../read-models/projection';

export interface InstanceSettingsView {
  baseDomain: string;
}

export const defaultInstanceSettings: InstanceSettingsView = { baseDomain: DEFAULT_BASE_DOMAIN };

/** One document, `global`: the settings that decide routing for the whole instance. */
export const instanceSettingsProjection: Projection<InstanceSettingsView> = {
  name: 'instance-settings-view',
  collection: 'instance_settings',
  sources: [{ context: 'project', aggregate: 'instance-settings' }],
  types: ['InstanceSettingsChanged'],
  documentId: () => INSTANCE_ID,
  evolve: (view, e) => ({ ...(view ?? defaultInstanceSettings), baseDomain: String(e.data.baseDomain) }),
};
