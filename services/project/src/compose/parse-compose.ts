import { posix } from 'node:path';
import { dependencyOrder } from './dependency-order';
import { interpolateTree, VariableLookup } from './compose-interpolation';
import { ComposeParseResult, ComposeProblem, ComposeServicePlan, ComposeVolumePlan } from './compose-plan';
import { validateComposeSchema } from './compose-schema';
import { schemaProblems } from './compose-schema-errors';
import { Finding, readService, RawService, repositoryPath } from './compose-service';
import { isExtension, TOP_LEVEL_USED, topLevelKeyWarning } from './compose-unsupported';
import { ComposeYaml, problemAt, readComposeYaml } from './compose-yaml';

export interface ParseComposeOptions {
  /** The compose file's path in the repository (`compose.yaml`, `deploy/docker-compose.yml`). */
  file: string;
  /** Variables for interpolation: what Compose takes from the shell and the project's `.env`. */
  variables?: Readonly<Record<string, string>>;
}

type Raw = Record<string, unknown>;

/** Values that interpolation leaves as text but the schema wants as numbers or booleans (as Compose casts them). */
const castTypes = (root: Raw) => {
  const toNumber = (v: unknown) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v);
  const toBoolean = (v: unknown) => (v === 'true' ? true : v === 'false' ? false : v);
  for (const service of Object.values((root.services ?? {}) as Record<string, Raw | null>)) {
    if (!service || typeof service !== 'object') continue;
    const deploy = service.deploy as Raw | undefined;
    if (deploy && typeof deploy === 'object') deploy.replicas = toNumber(deploy.replicas);
    const health = service.healthcheck as Raw | undefined;
    if (health && typeof health === 'object') Object.assign(health, { retries: toNumber(health.retries), disable: toBoolean(health.disable) });
    for (const port of Array.isArray(service.ports) ? service.ports : []) if (port && typeof port === 'object') port.target = toNumber(port.target);
    for (const v of Array.isArray(service.volumes) ? service.volumes : []) if (v && typeof v === 'object') v.read_only = toBoolean(v.read_only);
    const deps = service.depends_on;
    if (deps && typeof deps === 'object' && !Array.isArray(deps)) {
      for (const d of Object.values(deps as Record<string, Raw>)) if (d && typeof d === 'object') d.required = toBoolean(d.required);
    }
    for (const [key, value] of Object.entries(service)) if (value === undefined) delete service[key];
  }
  const strip = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(strip);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) if (v === undefined) delete (node as Raw)[k];
      else strip(v);
    }
  };
  strip(root);
};

/**
 * A compose file → one Slipway service plan per compose service, or every problem found, each in
 * the user's words with its key path and position. Warnings name everything that is not imported.
 */
export const parseCompose = (text: string, options: ParseComposeOptions): ComposeParseResult => {
  const { file } = options;
  const dir = repositoryPath('.', posix.dirname(file));
  if (!dir.ok) return { ok: false, errors: [{ path: '', message: `${file} ${dir.reason}` }], warnings: [] };
  const read = readComposeYaml(text, file);
  if (!read.ok) return { ok: false, errors: read.errors, warnings: [] };
  const { yaml } = read;
  const at = (segments: (string | number)[], what: string, key?: string) => problemAt(yaml, file, segments, what, key);
  if (read.yaml.value === null || typeof read.yaml.value !== 'object' || Array.isArray(read.yaml.value)) {
    return { ok: false, errors: [{ path: '', message: `${file} is not a Compose file: it needs a top-level "services:" mapping` }], warnings: [] };
  }

  const variables = options.variables ?? {};
  const lookup: VariableLookup = (name) => (Object.hasOwn(variables, name) ? variables[name] : undefined);
  const interpolated = interpolateTree(read.yaml.value, lookup);
  const root = interpolated.value as Raw;
  const warnings: ComposeProblem[] = interpolated.missing.map(({ name, path }) =>
    at(path, `uses the variable ${name}, which is not set: it is replaced by an empty string (set it, or give a default: \${${name}:-value})`),
  );
  if (interpolated.errors.length > 0) {
    return { ok: false, errors: interpolated.errors.map(({ path, error }) => at(path, `cannot be interpolated: ${error}`)), warnings };
  }
  castTypes(root);
  if (!validateComposeSchema(root)) {
    return { ok: false, errors: schemaProblems(validateComposeSchema.errors ?? [], root, yaml, file), warnings };
  }
  const services = (root.services ?? {}) as Record<string, RawService | null>;
  if (Object.keys(services).length === 0) {
    return { ok: false, errors: [at([], 'names no services: add them under "services:"')], warnings };
  }
  for (const key of Object.keys(root)) if (!TOP_LEVEL_USED.has(key) && !isExtension(key)) warnings.push(at([], topLevelKeyWarning(key), key));
  const volumes = readTopLevelVolumes(root, at, warnings);

  const errors: ComposeProblem[] = [];
  const plans: ComposeServicePlan[] = [];
  for (const [name, raw] of Object.entries(services)) {
    const found = readService(raw ?? {}, { name, composeDir: dir.path, declaredVolumes: new Set(volumes.keys()), lookup });
    // A finding about the whole service points at its name.
    const place = (f: Finding) => (f.segments.length === 0 && f.key === undefined ? at(['services'], f.message, name) : at(['services', name, ...f.segments], f.message, f.key));
    errors.push(...found.errors.map(place));
    warnings.push(...found.warnings.map(place));
    if (found.plan) plans.push(found.plan);
  }
  if (errors.length > 0) return { ok: false, errors, warnings };
  const order = dependencyOrder(plans);
  if (!order.ok) {
    const segments = ['services', order.reason === 'cycle' ? order.cycle[0] : order.service, 'depends_on'];
    const what = order.reason === 'cycle' ? `makes a cycle (${order.cycle.join(' → ')}): remove one of these dependencies` : `names ${order.dependency}, which is not a service in this file`;
    return { ok: false, errors: [at(segments, what)], warnings };
  }
  return { ok: true, plan: { file, services: plans, volumes: volumePlans(volumes, plans, yaml, file, warnings) }, warnings };
};

const readTopLevelVolumes = (root: Raw, at: (s: (string | number)[], what: string, key?: string) => ComposeProblem, warnings: ComposeProblem[]) => {
  const declared = new Map<string, Raw>();
  for (const [name, options] of Object.entries((root.volumes ?? {}) as Record<string, Raw | null>)) {
    declared.set(name, options ?? {});
    for (const key of Object.keys(options ?? {})) {
      if (isExtension(key)) continue;
      const why = key === 'external' ? ': Slipway creates and keeps its own volumes, so this one starts empty' : '';
      warnings.push(at(['volumes', name], `is not supported by Slipway and is ignored${why}`, key));
    }
  }
  return declared;
};

const volumePlans = (declared: Map<string, Raw>, plans: ComposeServicePlan[], yaml: ComposeYaml, file: string, warnings: ComposeProblem[]): ComposeVolumePlan[] =>
  [...declared.keys()].map((name) => {
    const usedBy = plans.filter((p) => p.volumes.some((v) => v.volume === name)).map((p) => p.name);
    if (usedBy.length === 0) warnings.push(problemAt(yaml, file, ['volumes'], 'is not mounted by any service: it is not created', name));
    if (usedBy.length > 1) {
      warnings.push(
        problemAt(yaml, file, ['volumes'], `is mounted by ${usedBy.join(', ')}: each service gets a volume of its own in Slipway, so they do not share files; share data through a service instead`, name),
      );
    }
    return { name, usedBy };
  });
