import { ComposeVolumeMount } from './compose-plan';

type RawMount =
  | string
  | { type?: string; source?: string; target?: string; read_only?: boolean; volume?: Record<string, unknown>; bind?: unknown; tmpfs?: unknown };

export interface MountFinding {
  index: number;
  message: string;
}

export interface MountsRead {
  mounts: ComposeVolumeMount[];
  errors: MountFinding[];
  warnings: MountFinding[];
}

const BIND_REFUSED =
  'is a bind mount of a path on the host: refused, because Slipway runs services on servers that do not have your files ' +
  '(and a host path would reach outside the project). Put files in the image (COPY in the Dockerfile) and data in a named volume';

const looksLikeHostPath = (source: string) => /^(\.|\/|~|[A-Za-z]:[\\/]|\\\\)/.test(source);

/**
 * A service's `volumes:` → Slipway volumes (name + mount path). Named volumes must be declared at
 * the top level, as Compose requires; bind mounts are refused; anonymous volumes, tmpfs and other
 * types are not created, and said so.
 */
export const readMounts = (raw: RawMount[] | undefined, declared: ReadonlySet<string>): MountsRead => {
  const found: MountsRead = { mounts: [], errors: [], warnings: [] };
  (raw ?? []).forEach((entry, index) => {
    const mount = typeof entry === 'string' ? shortMount(entry) : longMount(entry);
    switch (mount.kind) {
      case 'bind':
        found.errors.push({ index, message: BIND_REFUSED });
        return;
      case 'anonymous':
        found.warnings.push({
          index,
          message: `is an anonymous volume at ${mount.target}: not created (its data would be lost on every redeploy); name it and declare it under the top-level volumes to keep the data`,
        });
        return;
      case 'other':
        found.warnings.push({ index, message: `is a ${mount.type} mount: not supported, not created` });
        return;
      case 'named':
        if (!declared.has(mount.source)) {
          found.errors.push({
            index,
            message: `uses the volume "${mount.source}", which is not declared: add it under the top-level volumes (volumes: { ${mount.source}: {} })`,
          });
          return;
        }
        for (const option of mount.ignored) found.warnings.push({ index, message: `sets ${option}, which Slipway does not support; it is ignored` });
        found.mounts.push({ volume: mount.source, mountPath: mount.target, readOnly: mount.readOnly });
    }
  });
  return found;
};

type Mount =
  | { kind: 'bind' }
  | { kind: 'anonymous'; target: string }
  | { kind: 'other'; type: string }
  | { kind: 'named'; source: string; target: string; readOnly: boolean; ignored: string[] };

const shortMount = (text: string): Mount => {
  const parts = text.split(':');
  if (parts.length === 1) return { kind: 'anonymous', target: parts[0] };
  const [source, target, mode = ''] = parts;
  if (looksLikeHostPath(source)) return { kind: 'bind' };
  const options = mode.split(',').filter(Boolean);
  const ignored = options.filter((o) => !['ro', 'rw'].includes(o)).map((o) => `the mount option "${o}"`);
  return { kind: 'named', source, target, readOnly: options.includes('ro'), ignored };
};

const longMount = (entry: Exclude<RawMount, string>): Mount => {
  const type = entry.type ?? 'volume';
  if (type === 'bind') return { kind: 'bind' };
  if (type !== 'volume') return { kind: 'other', type };
  if (!entry.source) return { kind: 'anonymous', target: entry.target ?? '' };
  const ignored = Object.keys(entry.volume ?? {}).map((k) => `volume.${k}`);
  return { kind: 'named', source: entry.source, target: entry.target ?? '', readOnly: entry.read_only === true, ignored };
};
