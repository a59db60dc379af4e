import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitUntil } from './platform-process';

export interface ScratchNats {
  url: string;
  /** Stops the server, waits `downForMs`, starts it again on the same port and store (a NATS outage). */
  restart(options?: { downForMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/**
 * A nats-server of its own (the same binary infra/scripts/nats.sh runs), with JetStream in a
 * temporary directory, for tests that append events of real types with made-up ids. On the
 * platform's server those events stay in the shared history, and a deploy service consuming it
 * acted on them: a contract test's DeploymentRequested became a Swarm service (shop-web, image
 * reg/rival:1) that Swarm retried for hours, with dockerd creating and destroying its overlay
 * network ten times a second.
 */
export const startScratchNats = async (): Promise<ScratchNats> => {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'slipway-scratch-nats-'));
  let server = await runNats(port, dir).catch((err) => {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  return {
    url: `nats://127.0.0.1:${port}`,
    restart: async ({ downForMs = 0 } = {}) => {
      await server.stop();
      await new Promise((r) => setTimeout(r, downForMs));
      server = await runNats(port, dir);
    },
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** One nats-server process on `port` with its JetStream store in `dir`; resolves once it listens. */
const runNats = async (port: number, dir: string): Promise<{ stop(): Promise<void> }> => {
  const child = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GOGC: '25' } }); // GOGC as infra/scripts/nats.sh
  let output = '';
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  await waitUntil('the scratch nats-server to listen', async () => {
    if (child.exitCode !== null) throw new Error(`nats-server exited: ${output}`);
    return listening(port);
  }, 10_000, 50).catch(async (err) => {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`${err.message}\n${output}`);
  });
  return { stop };
};
