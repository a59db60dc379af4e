import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { ensureEventStreams, retireConsumers } from '@slipway/event-store';
import { ensureLogStream } from './log-stream';
import { busCredentials } from './nats-auth';

/**
 * Creates or brings up to date every stream the platform uses, as `operator`: the only identity
 * NATS lets change streams (infra/scripts/nats-auth.sh). `npm start` and `npm test` run it
 * (node dist/libs/messaging/src/provision-bus.cli.js) before any service starts.
 */
const main = async () => {
  const url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const nc = await connect({ servers: url, name: 'slipway-provision', timeout: 10_000, ...busCredentials('operator') }).catch((err: Error) => {
    throw new Error(`Cannot reach NATS at ${url} as operator (${err.message}): start the infrastructure first (bash infra/scripts/up.sh).`);
  });
  try {
    const jsm = await jetstreamManager(nc);
    await ensureEventStreams(jsm);
    const retired = await retireConsumers(jsm);
    if (retired.length) process.stdout.write(`==> retired consumers no service reads: ${retired.join(', ')}\n`);
    await ensureLogStream(jsm);
  } finally {
    await nc.close();
  }
};

main().then(
  () => process.stdout.write('==> NATS streams provisioned\n'),
  (err: Error) => {
    process.stderr.write(`ERROR: ${err.message}\n`);
    process.exit(1);
  },
);
