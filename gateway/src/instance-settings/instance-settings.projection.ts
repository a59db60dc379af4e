import { DEFAULT_BASE_DOMAIN, INSTANCE_ID } from '@slipway/proto';
import type { Projection } from '../read-models/projection';

export interface InstanceSettingsView {
  baseDomain: string;
  acmeDirectory: string | null;
  allowedHttpGitHosts: string[];
}

export const defaultInstanceSettings: InstanceSettingsView = { baseDomain: DEFAULT_BASE_DOMAIN, acmeDirectory: null, allowedHttpGitHosts: [] };

/** One document, `global`: the settings of the whole instance (routing, hosts git may reach over http). */
export const instanceSettingsProjection: Projection<InstanceSettingsView> = {
  name: 'instance-settings-view',
  collection: 'instance_settings',
  sources: [{ context: 'project', aggregate: 'instance-settings' }],
  types: ['InstanceSettingsChanged'],
  documentId: () => INSTANCE_ID,
  evolve: (_view, e) => ({
    baseDomain: String(e.data.baseDomain),
    acmeDirectory: (e.data.acmeDirectory as string | null | undefined) ?? null,
    allowedHttpGitHosts: (e.data.allowedHttpGitHosts as string[] | undefined) ?? [],
  }),
};
