import { DeliverPolicy, jetstream, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { ensureStream } from '@slipway/event-store';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { LOG_STREAM, logSubject, type LogLine } from '@slipway/proto';

/** Declares the retention-limited LOGS stream (idempotent). */
export const ensureLogStream = async (jsm: JetStreamManager): Promise<void> =>
  ensureStream(jsm, {
    name: LOG_STREAM.name,
    subjects: LOG_STREAM.subjects,
    storage: StorageType.File,
    max_age: nanos(LOG_STREAM.maxAgeMs),
    max_bytes: LOG_STREAM.maxBytes,
  });

/**
 * A plain publish: the LOGS stream stores it, live readers see it at once, and the build never
 * waits for an acknowledgement per line (builds print thousands of lines).
 */
export const publishLogLine = (nc: NatsConnection, deploymentId: string, line: LogLine): void => {
  nc.publish(logSubject(deploymentId), JSON.stringify(line));
};

/** Every stored line of a deployment, oldest first; `afterSeq` tells a live reader where history ended. */
export const readLogHistory = async (nc: NatsConnection, deploymentId: string): Promise<{ lines: LogLine[]; lastSeq: number }> => {
  const js = jetstream(nc);
  const jsm = await js.jetstreamManager();
  const subject = logSubject(deploymentId);
  const last = await jsm.streams.getMessage(LOG_STREAM.name, { last_by_subj: subject }).catch(() => null);
  if (!last) return { lines: [], lastSeq: 0 };
  const consumer = await js.consumers.get(LOG_STREAM.name, { filter_subjects: subject, deliver_policy: DeliverPolicy.All });
  const lines: LogLine[] = [];
  try {
    for (;;) {
      const batch = await consumer.fetch({ max_messages: 5000, expires: 2000 });
      let got = 0;
      for await (const m of batch) {
        got++;
        lines.push(m.json<LogLine>());
        if (m.seq >= last.seq) return { lines, lastSeq: last.seq };
      }
      if (got === 0) return { lines, lastSeq: last.seq };
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
};

/** The newest stored line of a deployment, if any: what it last said, for a reason that explains itself. */
export const readLastLogLine = async (nc: NatsConnection, deploymentId: string): Promise<LogLine | undefined> => {
  const jsm = await jetstream(nc).jetstreamManager();
  const last = await jsm.streams.getMessage(LOG_STREAM.name, { last_by_subj: logSubject(deploymentId) }).catch(() => null);
  return last ? last.json<LogLine>() : undefined;
};
