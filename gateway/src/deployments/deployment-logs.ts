import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { LOG_STREAM, logSubject, type LogLine } from '@slipway/proto';

/**
 * Every stored line of a deployment, then new ones as they are written, in order and without
 * gaps or repeats: one ordered JetStream consumer from the first line on.
 */
export async function* deploymentLogLines(nc: NatsConnection, deploymentId: string): AsyncGenerator<LogLine> {
  const js = jetstream(nc);
  const consumer = await js.consumers.get(LOG_STREAM.name, {
    filter_subjects: logSubject(deploymentId),
    deliver_policy: DeliverPolicy.All,
  });
  const messages = await consumer.consume({ max_messages: 1000 });
  try {
    for await (const m of messages) yield m.json<LogLine>();
  } finally {
    await messages.close();
  }
}
