import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { infraEnv } from '../infra-env';
import { freePort, waitUntil } from '../platform-process';
import { startScratchNats } from '../scratch-nats';
import { readStorePassword, readStoreUrl } from '@slipway/secret-box';

export interface ScratchPlatform {
  NATS_URL: string;
  MONGO_URL: string;
  /** For startPlatformProcess(name, { env }): its processes use this platform, not the shared one. */
  env: { NATS_URL: string; MONGO_URL: string };
  /** Stops its nats-server, waits `downForMs`, starts it again on the same port and store. */
  restartNats(options?: { downForMs?: number }): Promise<void>;
  /** The same for its FerretDB (the read store). */
  restartReadStore(options?: { downForMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

const answers = async (url: string) => {
  const client = new MongoClient(readStoreUrl(url), { serverSelectionTimeoutMS: 500 });
  try {
    // listDatabases reaches the SQLite backend (a bare ping does not): the store is really up.
    await client.db('admin').command({ listDatabases: 1 });
    return true;
  } finally {
    await client.close();
  }
};

type Restartable = { url: string; restart(options?: { downForMs?: number }): Promise<void>; stop(): Promise<void> };

/** A FerretDB of its own (the binary infra/scripts/ferretdb.sh runs), on SQLite in a temporary directory. */
const startScratchFerretDb = async (): Promise<Restartable> => {
  const [port, debugPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'slipway-scratch-ferretdb-'));
  mkdirSync(join(dir, 'data'));
  const url = `mongodb://127.0.0.1:${port}`;
  let server = await runFerretDb(url, port, debugPort, dir).catch((err) => {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  return {
    url,
    restart: async ({ downForMs = 0 } = {}) => {
      await server.stop();
      await new Promise((r) => setTimeout(r, downForMs));
      server = await runFerretDb(url, port, debugPort, dir);
    },
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** One FerretDB process on `port` with its SQLite files in `dir`; resolves once it answers. */
const runFerretDb = async (url: string, port: number, debugPort: number, dir: string): Promise<{ stop(): Promise<void> }> => {
  const password = readStorePassword(infraEnv().SLIPWAY_DATA_DIR);
  const child = spawn(
    join(infraEnv().SLIPWAY_DATA_DIR, 'bin', 'ferretdb'),
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/data/?_pragma=cache_size(-512)`, // as infra/scripts/ferretdb.sh
      `--listen-addr=127.0.0.1:${port}`,
      `--debug-addr=127.0.0.1:${debugPort}`,
      `--state-dir=${dir}`,
      '--telemetry=disable',
      // The same sign-in as the platform's read store, so the gateway connects here as it does there.
      ...(password ? ['--test-enable-new-auth', '--setup-username=gateway', '--setup-database=admin'] : []),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...(password ? { FERRETDB_SETUP_PASSWORD: password } : {}) } },
  );
  let output = '';
  let ended = false;
  child.stderr!.on('data', (d) => (output += d));
  // 'error' instead of 'exit' when it could not start at all (no binary: run infra/scripts/up.sh).
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => ((ended = true), resolve()));
    child.once('error', (err) => ((ended = true), (output += String(err)), resolve()));
  });
  const stop = async () => {
    if (!ended) child.kill('SIGTERM');
    await exited;
  };
  await waitUntil('the scratch FerretDB to answer', async () => {
    if (ended) throw new Error(`ferretdb exited: ${output}`);
    return answers(url);
  }, 20_000, 100).catch(async (err) => {
    await stop();
    throw new Error(`${err.message}\n${output.slice(-2000)}`);
  });
  return { stop };
};

/**
 * An empty platform of its own — a scratch nats-server (event store) and a scratch FerretDB (read
 * models) — for what must never happen on the shared instance: an instance with no owner yet, or
 * one that somebody other than the tests' account owns.
 */
export const startScratchPlatform = async (): Promise<ScratchPlatform> => {
  const nats = await startScratchNats();
  const ferretdb = await startScratchFerretDb().catch(async (err) => {
    await nats.stop();
    throw err;
  });
  // The sign-in goes in the address: processes given another SLIPWAY_DATA_DIR have no password file.
  const env = { NATS_URL: nats.url, MONGO_URL: readStoreUrl(ferretdb.url) };
  return {
    ...env,
    env,
    restartNats: (options) => nats.restart(options),
    restartReadStore: (options) => ferretdb.restart(options),
    stop: async () => void (await Promise.all([nats.stop(), ferretdb.stop()])),
  };
};
