import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../platform-process';

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
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${apiUrl}${path}`, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`Mailpit ${path}: ${res.status}`);
    return (await res.json()) as T;
  };
  return {
    smtp: { host: '127.0.0.1', port: smtpPort },
    apiUrl,
    messagesTo: async (address) => (await api<{ messages: MailpitMessage[] }>(`/api/v1/search?query=${encodeURIComponent(`to:"${address}"`)}`)).messages,
    text: async (id) => (await api<{ Text: string }>(`/api/v1/message/${id}`)).Text,
  };
};
