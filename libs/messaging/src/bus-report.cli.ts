import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { busCredentials } from './nats-auth';

/**
 * What the bus holds back, for a person reading a failed run (`npm test` prints it when a test
 * failed): every durable consumer with events not yet handled or handed out again, and how many
 * dead letters there are. A consumer stuck on one event shows here with its redeliveries.
 * Read-only, as `operator` (node dist/libs/messaging/src/bus-report.cli.js).
 */
const main = async () => {
  const url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const nc = await connect({ servers: url, name: 'slipway-bus-report', timeout: 5_000, ...busCredentials('operator') });
  try {
    const jsm = await jetstreamManager(nc);
    const lines: string[] = [];
    for await (const stream of jsm.streams.list()) {
      const name = stream.config.name;
      for await (const c of jsm.consumers.list(name)) {
        const behind = c.num_pending + c.num_ack_pending;
        if (behind === 0 && c.num_redelivered === 0) continue;
        lines.push(`${name}/${c.name}: ${c.num_pending} waiting, ${c.num_ack_pending} handed out, ${c.num_redelivered} handed out again, last active ${c.delivered.last_active ?? 'never'}`);
      }
      if (/dead/i.test(name)) lines.push(`${name}: ${stream.state.messages} dead letters`);
    }
    process.stdout.write(lines.length ? `${lines.slice(0, 25).join('\n')}\n${lines.length > 25 ? `… ${lines.length - 25} more\n` : ''}` : 'every consumer is caught up\n');
  } finally {
    await nc.close();
  }
};

main().catch((err: Error) => {
  process.stderr.write(`bus report: ${err.message}\n`);
  process.exit(1);
});
