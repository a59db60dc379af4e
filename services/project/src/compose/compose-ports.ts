import { ComposePort } from './compose-plan';

interface PortEntry {
  container: number;
  /** The container port was the start of a range. */
  range: boolean;
  protocol: string;
  published?: string;
  text: string;
}

type RawPort = string | number | { target?: number; published?: string | number; protocol?: string };

/** `[HOST_IP:][HOST:]CONTAINER[/PROTOCOL]`: the container part never holds a colon. */
const shortPort = (text: string): PortEntry | undefined => {
  const [spec, protocol = 'tcp'] = text.split('/');
  const colon = spec.lastIndexOf(':');
  const container = spec.slice(colon + 1);
  const host = colon >= 0 ? spec.slice(0, colon) : '';
  const published = host.slice(host.lastIndexOf(':') + 1) || undefined;
  const first = Number(container.split('-')[0]);
  if (!Number.isInteger(first)) return undefined;
  return { container: first, range: container.includes('-'), protocol: protocol.toLowerCase(), published, text };
};

const entryOf = (raw: RawPort): PortEntry | undefined => {
  if (typeof raw === 'number') return { container: raw, range: false, protocol: 'tcp', text: String(raw) };
  if (typeof raw === 'string') return shortPort(raw);
  if (raw.target === undefined) return undefined;
  const published = raw.published === undefined ? undefined : String(raw.published);
  return { container: raw.target, range: false, protocol: (raw.protocol ?? 'tcp').toLowerCase(), published, text: `target ${raw.target}` };
};

export interface PortChoice {
  port?: ComposePort;
  /** Messages for the service's warnings, each starting with the key they are about. */
  notes: { key: 'ports' | 'expose'; message: string }[];
}

/**
 * Slipway routes one HTTP port per service (through Caddy, on the service's domains), and the
 * project network carries every port between services. So: the first TCP container port of
 * `ports`, else of `expose`. Anything else is said, never dropped quietly.
 */
export const choosePort = (ports: RawPort[] | undefined, expose: (string | number)[] | undefined): PortChoice => {
  const notes: PortChoice['notes'] = [];
  const published = (ports ?? []).map(entryOf).filter((e): e is PortEntry => e !== undefined);
  const exposed = (expose ?? []).map(entryOf).filter((e): e is PortEntry => e !== undefined);
  for (const [key, entries] of [['ports', published], ['expose', exposed]] as const) {
    const other = entries.filter((e) => e.protocol !== 'tcp');
    if (other.length > 0) {
      notes.push({ key, message: `${other.map((e) => e.text).join(', ')}: only TCP is served; other protocols are not reachable from outside` });
    }
  }
  const hostPorts = published.filter((e) => e.published !== undefined);
  if (hostPorts.length > 0) {
    notes.push({
      key: 'ports',
      message:
        `host ports (${hostPorts.map((e) => e.published).join(', ')}) are not opened: Slipway serves the service on its domain over HTTPS, ` +
        'and other services reach it by name on the project network',
    });
  }
  const [key, candidates] = published.some((e) => e.protocol === 'tcp') ? (['ports', published] as const) : (['expose', exposed] as const);
  const tcp = candidates.filter((e) => e.protocol === 'tcp');
  const chosen = tcp[0];
  if (!chosen) return { notes };
  const others = [...new Set(tcp.slice(1).map((e) => e.container))].filter((p) => p !== chosen.container);
  if (others.length > 0) {
    notes.push({
      key,
      message: `names several container ports; ${chosen.container} is served on the domain, ${others.join(', ')} only on the project network`,
    });
  }
  if (chosen.range) notes.push({ key, message: `${chosen.text} is a range; its first port, ${chosen.container}, is served` });
  const source = key === 'ports' ? 'the first container port under ports' : 'the first port under expose (ports names none)';
  return { port: { container: chosen.container, from: key, reason: `${source}: ${chosen.text}` }, notes };
};
