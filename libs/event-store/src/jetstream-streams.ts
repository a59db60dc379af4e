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

/** Declares (or brings up to date) the event stream of each context. Idempotent. */
export const ensureEventStreams = async (jsm: JetStreamManager, which: readonly Context[] = contexts): Promise<void> => {
  for (const context of which) {
    const config = eventStreamConfig(context);
    try {
      await jsm.streams.info(config.name);
      await jsm.streams.update(config.name, config);
    } catch (err) {
      if (!(err instanceof JetStreamApiError) || err.code !== 10059) throw err;
      await jsm.streams.add(config);
    }
  }
};
