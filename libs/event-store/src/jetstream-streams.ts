import { JetStreamApiError, StorageType, RetentionPolicy, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { contexts, eventFilter, eventStreamName, type Context } from '@slipway/proto';

/** How long JetStream remembers a Nats-Msg-Id: a command redelivered within it never appends twice. */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;

const eventStreamConfig = (context: Context): Partial<StreamConfig> & { name: string } => ({
  name: eventStreamName(context),
  subjects: [eventFilter(context)],
  // The event log is kept forever on disk: no age, size or count limits.
  storage: StorageType.File,
  retention: RetentionPolicy.Limits,
  max_age: 0,
  max_msgs: -1,
  max_bytes: -1,
  allow_direct: true,
  duplicate_window: nanos(DUPLICATE_WINDOW_MS),
});

const STREAM_NOT_FOUND = 10059;

/** The fields we set, compared with what the server holds (it fills in the rest). */
const differs = (held: Partial<StreamConfig>, wanted: Partial<StreamConfig>): boolean =>
  (Object.keys(wanted) as (keyof StreamConfig)[]).some((k) => JSON.stringify(held[k]) !== JSON.stringify(wanted[k]));

/**
 * Declares a stream, or brings it up to date, only where it is missing or differs: on the
 * platform's server only `operator` may create or change streams (infra/scripts/nats-auth.sh), and
 * a service finds them already provisioned. Missing and not ours to create: a clear error.
 */
export const ensureStream = async (jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> => {
  const held = await jsm.streams.info(config.name).catch((err: unknown) => {
    if (err instanceof JetStreamApiError && err.code === STREAM_NOT_FOUND) return undefined;
    throw err;
  });
  if (held && !differs(held.config, config)) return;
  try {
    if (held) await jsm.streams.update(config.name, config);
    else await jsm.streams.add(config);
  } catch (err) {
    if (!/Permissions Violation/.test(String(err))) throw err;
    if (held) return; // provisioned, in an older shape: the provisioning step brings it up to date
    throw new Error(`The stream ${config.name} does not exist and this service may not create it: start the platform with \`npm start\` (it provisions the streams)`);
  }
};

/** Declares (or brings up to date) the event stream of each context. Idempotent. */
export const ensureEventStreams = async (jsm: JetStreamManager, which: readonly Context[] = contexts): Promise<void> => {
  for (const context of which) await ensureStream(jsm, eventStreamConfig(context));
};

/**
 * Durable consumers no service reads any more (a reaction moved to another event): deleted at
 * provisioning, so they neither pile up events nor show as behind in the bus report.
 */
export const RETIRED_CONSUMERS: readonly { context: Context; durable: string; why: string }[] = [
  { context: 'deploy', durable: 'build-on-deployment-requested', why: 'builds start on ResourcesReserved (issue 13)' },
  { context: 'deploy', durable: 'deploy-on-rollback-requested', why: 'rollbacks roll out on ResourcesReserved (issue 13)' },
];

const CONSUMER_NOT_FOUND = 10014;

/** Deletes the retired consumers still on the server; returns their names. Idempotent. */
export const retireConsumers = async (jsm: JetStreamManager): Promise<string[]> => {
  const retired: string[] = [];
  for (const { context, durable } of RETIRED_CONSUMERS) {
    const gone = await jsm.consumers.delete(eventStreamName(context), durable).catch((err: unknown) => {
      if (err instanceof JetStreamApiError && (err.code === CONSUMER_NOT_FOUND || err.code === STREAM_NOT_FOUND)) return false;
      throw err;
    });
    if (gone) retired.push(durable);
  }
  return retired;
};
