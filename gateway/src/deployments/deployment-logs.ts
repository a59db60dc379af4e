import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { LOG_STREAM, logSubject, type LogLine } from '@slipway/proto';
import { encodeLogCursor } from './deployment-log-cursor';

/**
 * Every stored line of a deployment, then new ones as they are written, in order and without
 * gaps or repeats: one ordered JetStream consumer from the first line on — or, given `afterSeq`
 * (the LOGS sequence of the last line a client already has, e.g. from a `deploymentLog` page),
 * from the line after it. Each line carries its cursor, so a client can resume from any of them.
 */
export async function* deploymentLogLines(nc: NatsConnection, deploymentId: string, afterSeq = 0): AsyncGenerator<LogLine & { cursor: string }> {
  const js = jetstream(nc);
  const consumer = await js.consumers.get(LOG_STREAM.name, {
    filter_subjects: logSubject(deploymentId),
    ...(afterSeq > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: afterSeq + 1 } : { deliver_policy: DeliverPolicy.All }),
  });
  const messages = await consumer.consume({ max_messages: 1000 });
  try {
    for await (const m of messages) yield { ...m.json<LogLine>(), cursor: encodeLogCursor(deploymentId, m.seq) };
  } finally {
    await messages.close();
  }
}
