import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { infraEnv } from '../infra-env';
import { freePort, repoRoot, waitUntil } from '../platform-process';

export interface MailpitMessage {
  ID: string;
  Subject: string;
  From: { Address: string; Name: string };
  To: { Address: string; Name: string }[];
  Created: string;
  Snippet: string;
}

export interface Mailpit {
  smtp: { host: string; port: number };
  apiUrl: string;
  /** The messages sent to `address`, newest first. */
  messagesTo(address: string): Promise<MailpitMessage[]>;
  /** One message's plain text. */
  text(id: string): Promise<string>;
}

const run = promisify(execFile);

/**
 * Mailpit, a real SMTP server, started (installed the first time) by infra/scripts/mailpit.sh and
 * left running like the other infrastructure. Tests keep apart by sending to addresses of their own.
 */
export const startMailpit = async (): Promise<Mailpit> => {
  const smtpPort = Number(process.env.MAILPIT_SMTP_PORT ?? 1025);
  const apiUrl = `http://127.0.0.1:${process.env.MAILPIT_HTTP_PORT ?? 8025}`;
  try {
    await run('bash', [join(repoRoot, 'infra/scripts/mailpit.sh'), 'start'], { encoding: 'utf8', timeout: 300_000 });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`infra/scripts/mailpit.sh start failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
  return { smtp: { host: '127.0.0.1', port: smtpPort }, apiUrl, ...mailbox(apiUrl) };
};

const mailbox = (apiUrl: string): Pick<Mailpit, 'messagesTo' | 'text'> => {
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${apiUrl}${path}`, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`Mailpit ${path}: ${res.status}`);
    return (await res.json()) as T;
  };
  return {
    messagesTo: async (address) => (await api<{ messages: MailpitMessage[] }>(`/api/v1/search?query=${encodeURIComponent(`to:"${address}"`)}`)).messages,
    text: async (id) => (await api<{ Text: string }>(`/api/v1/message/${id}`)).Text,
  };
};

/**
 * A Mailpit of the test's own (the binary mailpit.sh installed), on free ports, offering STARTTLS
 * with the given certificate (or TLS from the first byte) and accepting only the users of `users`
 * (`name:password` lines). Stopped and removed by stop().
 */
export const startScratchMailpit = async (options: { certPem: string; keyPem: string; users: string; implicitTls?: boolean }): Promise<Mailpit & { stop(): Promise<void> }> => {
  await startMailpit(); // installs the binary if needed
  const dir = mkdtempSync(join(tmpdir(), 'slipway-mailpit-'));
  writeFileSync(join(dir, 'cert.pem'), options.certPem);
  writeFileSync(join(dir, 'key.pem'), options.keyPem, { mode: 0o600 });
  writeFileSync(join(dir, 'users'), options.users, { mode: 0o600 });
  const [smtpPort, httpPort] = [await freePort(), await freePort()];
  // Where mailpit.sh installs its MAILPIT_VERSION.
  const bin = join(infraEnv().SLIPWAY_DATA_DIR, 'toolchain', 'mailpit-1.33.1', 'bin', 'mailpit');
  const child = spawn(bin, [
    `--listen=127.0.0.1:${httpPort}`, `--smtp=127.0.0.1:${smtpPort}`, `--database=${dir}/mailpit.db`, '--quiet', '--disable-version-check',
    `--smtp-tls-cert=${dir}/cert.pem`, `--smtp-tls-key=${dir}/key.pem`, `--smtp-auth-file=${dir}/users`,
    options.implicitTls ? '--smtp-require-tls' : '--smtp-require-starttls',
  ], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const apiUrl = `http://127.0.0.1:${httpPort}`;
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  await waitUntil('the scratch Mailpit', async () => (await fetch(`${apiUrl}/livez`)).ok, 20_000).catch(async (err) => {
    await stop();
    throw err;
  });
  return { smtp: { host: '127.0.0.1', port: smtpPort }, apiUrl, ...mailbox(apiUrl), stop };
};
