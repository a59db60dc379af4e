import { posix } from 'node:path';
import { parse as splitWords } from 'shell-quote';
import { envKey } from '@slipway/proto';
import { readHealthCheck, RawHealthCheck } from './compose-health';
import type { VariableLookup } from './compose-interpolation';
import { ComposeDependency, ComposeEnvEntry, ComposeEnvFile, ComposeServicePlan, ComposeSource, DependencyCondition } from './compose-plan';
import { choosePort } from './compose-ports';
import { readResources } from './compose-resources';
import { BUILD_KEYS_USED, isExtension, serviceKeyWarning, SUPPORTED_SERVICE_KEYS } from './compose-unsupported';
import { readMounts } from './compose-volumes';

/** A finding about a key path of the service (`services.<name>` is prefixed by the caller). */
export interface Finding {
  segments: (string | number)[];
  key?: string;
  message: string;
}

export interface ServiceContext {
  name: string;
  /** The compose file's folder, relative to the repository root ('.' at the root). */
  composeDir: string;
  declaredVolumes: ReadonlySet<string>;
  lookup: VariableLookup;
}

export type RawService = Record<string, unknown> & {
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, unknown> | string[] } & Record<string, unknown>;
  image?: string;
  command?: string | string[] | null;
  environment?: Record<string, unknown> | string[];
  env_file?: string | (string | { path: string; required?: boolean | string; format?: string })[];
  depends_on?: string[] | Record<string, { condition?: DependencyCondition; required?: boolean; restart?: boolean | string }>;
  healthcheck?: RawHealthCheck;
};

/** A path from the compose file, relative to the repository root, or why it is refused. */
export const repositoryPath = (composeDir: string, path: string): { ok: true; path: string } | { ok: false; reason: string } => {
  if (/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(path)) return { ok: false, reason: 'is a remote URL: only folders of the repository are supported' };
  if (posix.isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path)) return { ok: false, reason: 'is an absolute path: give a path relative to the compose file' };
  const joined = posix.normalize(posix.join(composeDir, path));
  if (joined === '..' || joined.startsWith('../')) return { ok: false, reason: 'reaches outside the repository' };
  return { ok: true, path: joined.replace(/\/$/, '') || '.' };
};

export const readService = (raw: RawService, ctx: ServiceContext): { plan?: ComposeServicePlan; errors: Finding[]; warnings: Finding[] } => {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  for (const key of Object.keys(raw)) {
    if (!SUPPORTED_SERVICE_KEYS.has(key) && !isExtension(key)) warnings.push({ segments: [], key, message: serviceKeyWarning(key) });
  }
  const source = readSource(raw, ctx, errors, warnings);
  const command = readCommand(raw.command, errors);
  const environment = readEnvironment(raw.environment, ctx.lookup, errors, warnings);
  const envFiles = readEnvFiles(raw.env_file, ctx.composeDir, errors);
  const { port, notes } = choosePort(raw.ports as never, raw.expose as never);
  for (const note of notes) warnings.push({ segments: [note.key], message: note.message });
  const health = readHealthCheck(raw.healthcheck);
  if (!health.ok) errors.push({ segments: ['healthcheck', health.key], message: health.message });
  const mounts = readMounts(raw.volumes as never, ctx.declaredVolumes);
  for (const e of mounts.errors) errors.push({ segments: ['volumes', e.index], message: e.message });
  for (const w of mounts.warnings) warnings.push({ segments: ['volumes', w.index], message: w.message });
  const deploy = readResources(raw as Parameters<typeof readResources>[0], errors, warnings);
  if (!source || errors.length > 0) return { errors, warnings };
  const plan: ComposeServicePlan = {
    name: ctx.name,
    source,
    ...(command === undefined ? {} : { command }),
    environment,
    envFiles,
    ...(port ? { port } : {}),
    dependencies: readDependencies(raw.depends_on),
    ...(health.ok && health.healthCheck ? { healthCheck: health.healthCheck } : {}),
    volumes: mounts.mounts,
    replicas: deploy.replicas,
    resources: deploy.resources,
  };
  return { plan, errors, warnings };
};

const readSource = (raw: RawService, ctx: ServiceContext, errors: Finding[], warnings: Finding[]): ComposeSource | undefined => {
  if (raw.build === undefined) {
    if (raw.image) return { kind: 'image', ref: raw.image };
    errors.push({ segments: [], message: 'has neither image nor build: name an image (image: postgres:16) or a folder to build (build: ./api)' });
    return undefined;
  }
  const build = typeof raw.build === 'string' ? { context: raw.build } : raw.build;
  for (const key of Object.keys(build)) {
    if (!BUILD_KEYS_USED.has(key) && !isExtension(key)) warnings.push({ segments: ['build'], key, message: 'is not supported by Slipway builds and is ignored' });
  }
  if (raw.image) {
    warnings.push({ segments: ['image'], message: `is not used: the service is built from build, and Slipway tags its builds itself` });
  }
  const context = repositoryPath(ctx.composeDir, build.context ?? '.');
  if (!context.ok) {
    errors.push({ segments: typeof raw.build === 'string' ? ['build'] : ['build', 'context'], message: context.reason });
    return undefined;
  }
  const dockerfile = repositoryPath(context.path, build.dockerfile ?? 'Dockerfile');
  if (!dockerfile.ok) {
    errors.push({ segments: ['build', 'dockerfile'], message: dockerfile.reason });
    return undefined;
  }
  const args: Record<string, string> = {};
  for (const entry of keyValues(build.args)) {
    const value = entry.value ?? ctx.lookup(entry.key);
    if (value === undefined) warnings.push({ segments: ['build', 'args'], message: `${entry.key} has no value and no variable of that name is set: it is not passed` });
    else args[entry.key] = value;
  }
  return { kind: 'build', context: context.path, dockerfilePath: dockerfile.path, args };
};

/** `KEY: value` maps and `- KEY=value` lists alike; `KEY` alone (or `KEY:` empty) has no value. */
const keyValues = (raw: Record<string, unknown> | string[] | undefined): { key: string; value?: string }[] => {
  if (raw === undefined) return [];
  if (Array.isArray(raw)) {
    return raw.map((line) => {
      const eq = line.indexOf('=');
      return eq < 0 ? { key: line } : { key: line.slice(0, eq), value: line.slice(eq + 1) };
    });
  }
  return Object.entries(raw).map(([key, v]) => (v === null || v === undefined ? { key } : { key, value: String(v) }));
};

const readCommand = (raw: RawService['command'], errors: Finding[]): string[] | undefined => {
  if (raw === undefined || raw === null) return undefined;
  if (Array.isArray(raw)) return raw;
  // Compose splits a string into words as a shell would, but runs no shell: `$VAR` is already
  // interpolated (a `$$VAR` is passed on as `$VAR`), and operators would not do what they seem to.
  const words = splitWords(raw, (name) => `$${name}`);
  const operator = words.find((w) => typeof w !== 'string' && !('pattern' in w));
  if (operator) {
    errors.push({
      segments: ['command'],
      message: 'uses shell syntax (&&, |, ;, >, #…), but a command is not run by a shell: write it as ["sh", "-c", "…"]',
    });
    return undefined;
  }
  return words.map((w) => (typeof w === 'string' ? w : (w as { pattern: string }).pattern));
};

const readEnvironment = (raw: RawService['environment'], lookup: VariableLookup, errors: Finding[], warnings: Finding[]): ComposeEnvEntry[] =>
  keyValues(raw).flatMap(({ key, value }) => {
    const valid = envKey.safeParse(key);
    if (!valid.success) {
      errors.push({ segments: ['environment'], message: `${key}: a variable name ${valid.error.issues[0].message}` });
      return [];
    }
    const resolved = value ?? lookup(key) ?? null;
    if (resolved === null) {
      warnings.push({ segments: ['environment'], message: `${key} has no value and no variable of that name is set: the container does not get it` });
    }
    return [{ key, value: resolved }];
  });

const readEnvFiles = (raw: RawService['env_file'], composeDir: string, errors: Finding[]): ComposeEnvFile[] => {
  const entries = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return entries.flatMap((entry, index) => {
    const spec = typeof entry === 'string' ? { path: entry } : entry;
    const path = repositoryPath(composeDir, spec.path);
    if (!path.ok) {
      errors.push({ segments: ['env_file', index], message: `${spec.path} ${path.reason}` });
      return [];
    }
    const required = spec.required === undefined ? true : spec.required === true || spec.required === 'true';
    return [{ path: path.path, required, format: spec.format === 'raw' ? ('raw' as const) : ('compose' as const) }];
  });
};

const readDependencies = (raw: RawService['depends_on']): ComposeDependency[] => {
  if (raw === undefined) return [];
  if (Array.isArray(raw)) return raw.map((service) => ({ service, condition: 'service_started', required: true, restart: false }));
  return Object.entries(raw).map(([service, d]) => ({
    service,
    condition: d.condition ?? 'service_started',
    required: d.required ?? true,
    restart: d.restart === true || d.restart === 'true',
  }));
};
