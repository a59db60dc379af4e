import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamEventStore } from '@slipway/event-store';
import { ReadStore } from '../read-store';
import { awaitCredential, HOST_ADMIN, issueOwnerSession, OWNER_SESSION_MINUTES, OwnerSessionRefused } from './owner-session';
import { busCredentials } from '@slipway/messaging';

const USAGE = `Usage: node dist/gateway/src/identity/owner-session.cli.js
       (compile first: node infra/platform/compile.cjs)

Break-glass for the machine's administrator: prints a session token for the instance owner,
valid ${OWNER_SESSION_MINUTES} minutes, and nothing else on stdout. The owner's password and sessions
stay as they are; the audit log records the session as started by ${HOST_ADMIN.kind} ${HOST_ADMIN.id}.
Use the token as "Authorization: Bearer <token>", or as the console's slipway_session cookie.

Run it on the Slipway host, as the user that runs Slipway (root). It reaches NATS and the read
store at NATS_URL and MONGO_URL, else where $SLIPWAY_DATA_DIR/run/infra.env says
(SLIPWAY_DATA_DIR defaults to /var/lib/slipway).
`;

/** Said to the person at the shell, without a stack trace. */
class Refusal extends Error {}

/** The addresses the platform's own processes use: the environment first, then infra.env (written by infra/scripts/up.sh). */
const platformAddresses = () => {
  const file = join(process.env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway', 'run', 'infra.env');
  const fromFile: Record<string, string> = {};
  if (existsSync(file)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new Refusal(`Cannot read ${file} (${(err as Error).message}): run this as the user that runs Slipway (root) on its host.`);
    }
    for (const line of text.split('\n')) {
      const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (m) fromFile[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
    }
  }
  return {
    natsUrl: process.env.NATS_URL ?? fromFile.NATS_URL ?? 'nats://127.0.0.1:4222',
    mongoUrl: process.env.MONGO_URL ?? fromFile.MONGO_URL ?? 'mongodb://127.0.0.1:27017',
  };
};

/** An address as it may be shown: without the user and password it may carry. */
const shown = (url: string) => url.replace(/\/\/[^@/]*@/, '//');

const connectNats = (natsUrl: string): Promise<NatsConnection> =>
  connect({ servers: natsUrl, name: 'slipway-host-admin', timeout: 5_000, ...busCredentials('gateway') }).catch((err: Error) => {
    throw new Refusal(`Cannot reach NATS at ${shown(natsUrl)} (${err.message}): start Slipway's infrastructure first (bash infra/scripts/up.sh).`);
  });

const main = async (args: string[]): Promise<number> => {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.length) {
    process.stderr.write(`Unknown argument "${args[0]}": the command takes none.\n\n${USAGE}`);
    return 2;
  }
  const { natsUrl, mongoUrl } = platformAddresses();
  const nc = await connectNats(natsUrl);
  const readStore = new ReadStore(mongoUrl);
  const store = await JetStreamEventStore.create(nc);
  try {
    const session = await issueOwnerSession(store);
    const usable = await readStore
      .db()
      .then((db) => awaitCredential(db, session.tokenHash, 30_000))
      .catch(() => false);
    process.stderr.write(
      `Session for ${session.email} (${session.userId}), the instance owner, until ${session.expiresAt} (${OWNER_SESSION_MINUTES} minutes).\n` +
        `The audit log records it as SessionStarted by ${HOST_ADMIN.kind} ${HOST_ADMIN.id}; the owner's password and sessions are unchanged.\n` +
        (usable
          ? 'Use it as "Authorization: Bearer <token>", or as the console\'s slipway_session cookie.\n'
          : `No gateway has made it usable yet (none is running, or the read store at ${shown(mongoUrl)} is unreachable): it works once the gateway runs.\n`),
    );
    process.stdout.write(`${session.token}\n`);
    return 0;
  } finally {
    await store.close();
    await nc.close();
    await readStore.close();
  }
};

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    const known = err instanceof Refusal || err instanceof OwnerSessionRefused;
    process.stderr.write(`${known ? (err as Error).message : `Could not issue the session: ${err instanceof Error ? err.stack : String(err)}`}\n`);
    process.exitCode = 1;
  },
);
