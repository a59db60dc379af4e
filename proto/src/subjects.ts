/** The bounded contexts; each owns one event stream and one command subject space. */
export const contexts = ['project', 'build', 'deploy', 'routing', 'preview', 'quota', 'metrics', 'system', 'identity', 'backup'] as const;
export type Context = (typeof contexts)[number];

/** A NATS subject token: no dots, wildcards or whitespace, so one id can never address two subjects. */
const token = (what: string, value: string): string => {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) {
    throw new Error(`${what} "${value}" is not a valid subject token (letters, digits, "-" and "_" only)`);
  }
  return value;
};

/** One subject per aggregate instance: appending an event is publishing it. */
export const eventSubject = (context: Context, aggregate: string, id: string): string =>
  `platform.${context}.events.${token('aggregate', aggregate)}.${token('aggregate id', id)}`;

/** All events of a context, or of one aggregate type in it. */
export const eventFilter = (context: Context, aggregate?: string): string =>
  aggregate ? `platform.${context}.events.${token('aggregate', aggregate)}.>` : `platform.${context}.events.>`;

/** One stream per context, e.g. DEPLOY_EVENTS over platform.deploy.events.>. */
export const eventStreamName = (context: Context): string => `${context.toUpperCase()}_EVENTS`;

export const commandSubject = (context: Context, name: string): string =>
  `platform.${context}.commands.${token('command', name)}`;

/** Telemetry, not domain facts: these live in retention-limited streams outside the event store. */
export const logSubject = (deploymentId: string): string => `platform.logs.${token('deployment id', deploymentId)}`;

/**
 * Core NATS subject on which a gateway announces a read-model document it has just written (the
 * id may be "*" to hear a whole collection). Gateways, their view caches and benches listen.
 */
export const viewSubject = (collection: string, id: string) => `platform.gateway.views.${collection}.${id}`;

/** Request/reply subject on which each service answers with its health. */
export const healthSubject = (service: string): string => `platform.health.${token('service', service)}`;

export const parseEventSubject = (
  subject: string,
): { context: Context; aggregate: string; id: string } | undefined => {
  const m = /^platform\.([a-z]+)\.events\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(subject);
  if (!m || !(contexts as readonly string[]).includes(m[1])) return undefined;
  return { context: m[1] as Context, aggregate: m[2], id: m[3] };
};
