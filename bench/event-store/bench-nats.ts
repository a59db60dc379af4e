import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { busCredentials } from '@slipway/messaging';

/**
 * A throw-away nats-server (the same binary infra/ installs, file storage, JetStream) on its own
 * port and directory, so a benchmark never writes into a real installation's event streams.
 */
export const startBenchNats = async (port = 14299): Promise<{ nc: () => Promise<NatsConnection>; stop: () => Promise<void> }> => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-nats-'));
  const server: ChildProcess = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: 'ignore' });
  const url = `nats://127.0.0.1:${port}`;
  const open = () => connect({ servers: url, ...busCredentials('operator'), waitOnFirstConnect: true, timeout: 10_000 });
  const probe = await open();
  await probe.close();
  return {
    nc: open,
    stop: async () => {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
