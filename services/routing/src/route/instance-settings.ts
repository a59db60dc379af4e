import type { EventStore } from '@slipway/event-store';
import { DEFAULT_BASE_DOMAIN, INSTANCE_ID } from '@slipway/proto';
import type { TlsSettings } from '../caddy';

export interface InstanceSettings {
  baseDomain: string;
  /** null: the machine's ACME CA (infra.env: Pebble on a test machine). */
  acmeDirectory: string | null;
}

/**
 * The instance's settings as the event store says now (the project service decides them): read at
 * each routing decision and each sync, so every routing instance writes the same names and issuer
 * into Caddy, whatever its environment.
 */
export const currentInstanceSettings = async (store: EventStore): Promise<InstanceSettings> => {
  const { events } = await store.read({ context: 'project', aggregate: 'instance-settings', id: INSTANCE_ID });
  const last = events.filter((e) => e.type === 'InstanceSettingsChanged').at(-1)?.data;
  return { baseDomain: String(last?.baseDomain ?? DEFAULT_BASE_DOMAIN), acmeDirectory: (last?.acmeDirectory as string | null | undefined) ?? null };
};

/** The ACME issuer Caddy uses: the instance's directory with the system's roots, else the machine's CA. */
export const tlsFor = (settings: InstanceSettings, machine: { acmeCaUrl?: string; trustedRootsPemFile?: string }): TlsSettings =>
  settings.acmeDirectory ? { acmeCaUrl: settings.acmeDirectory, trustedRootsPemFile: null } : machine;
