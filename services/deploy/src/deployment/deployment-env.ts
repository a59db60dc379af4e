import type { EncryptedSecret, EnvEntry, EnvVar, PlainEnvVar } from '@slipway/proto';

/**
 * The levels a container's environment is merged from, lowest first. A later level overrides an
 * earlier one key by key. Previews will add their own level after `service`.
 */
export const envLevels = ['global', 'project', 'service'] as const;
export type EnvLevel = (typeof envLevels)[number] | 'preview';

export interface EnvLayer {
  level: EnvLevel;
  vars: readonly EnvEntry[];
}

/** The variables of one level, kept by key, after a set or a removal. */
export type EnvVarsByKey = ReadonlyMap<string, EnvEntry>;

export const withVar = (vars: EnvVarsByKey, entry: EnvEntry): EnvVarsByKey => new Map(vars).set(entry.key, entry);
export const withoutVar = (vars: EnvVarsByKey, key: string): EnvVarsByKey => {
  const next = new Map(vars);
  next.delete(key);
  return next;
};

const toSpecVar = (entry: EnvEntry): EnvVar =>
  entry.secret ? { key: entry.key, sealedValue: entry.sealedValue } : { key: entry.key, value: entry.value };

/**
 * The environment a deployment runs with: layers merged in order (global < project < service <
 * preview), sorted by key so that equal environments give equal Swarm specs. Secrets stay sealed.
 */
export const mergeEnv = (layers: readonly EnvLayer[]): EnvVar[] => {
  const merged = new Map<string, EnvEntry>();
  for (const layer of layers) for (const entry of layer.vars) merged.set(entry.key, entry);
  return [...merged.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(toSpecVar);
};

export class SealedEnvVarUnreadable extends Error {
  constructor(readonly key: string) {
    super(`Could not decrypt the secret env var ${key} (was the platform key replaced?): set it again`);
    this.name = 'SealedEnvVarUnreadable';
  }
}

/**
 * Opens the sealed values, for the container only: the result is never stored nor logged, and the
 * opened ones stay marked `secret`, so they reach the container as Swarm secrets, never in its spec.
 */
export const openEnv = (env: readonly EnvVar[], open: (secret: EncryptedSecret) => string): (PlainEnvVar & { secret?: true })[] =>
  env.map((v) => {
    if ('value' in v) return v;
    try {
      return { key: v.key, value: open(v.sealedValue), secret: true };
    } catch {
      throw new SealedEnvVarUnreadable(v.key);
    }
  });
