import { randomUUID } from 'node:crypto';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, rootCertificates, type TLSSocket } from 'node:tls';

export interface SmtpServer {
  host: string;
  port: number;
  /** none: plain SMTP (a relay on this machine); starttls: upgrade after EHLO; tls: TLS from the first byte. */
  security: 'none' | 'starttls' | 'tls';
  username: string | null;
  password: string | null;
  /** Trust this CA (PEM) as well as the system's: a relay with a private CA, or a test's own. */
  ca?: string;
}

export interface Email {
  from: string;
  to: string;
  subject: string;
  text: string;
}

/** The bare address of `Name <a@b>` or `a@b`. */
export const addressOf = (mailbox: string): string => /<([^<>]+)>\s*$/.exec(mailbox)?.[1]?.trim() ?? mailbox.trim();

/** A header value in 7-bit: non-ASCII text as an RFC 2047 encoded word. */
const headerText = (text: string) => (/^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`);

/** The message as sent after DATA: CRLF lines, a leading dot doubled, no bare CR or LF. */
export const renderEmail = (email: Email, now = new Date()): string => {
  const domain = addressOf(email.from).split('@')[1] ?? 'slipway.local';
  const headers = [
    `From: ${headerText(email.from)}`,
    `To: ${email.to}`,
    `Subject: ${headerText(email.subject.replace(/[\r\n]+/g, ' '))}`,
    `Date: ${now.toUTCString()}`,
    `Message-ID: <${randomUUID()}@${domain}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  const body = email.text.split(/\r?\n/).map((line) => (line.startsWith('.') ? `.${line}` : line));
  return [...headers, '', ...body].join('\r\n');
};

/** Reads SMTP replies (a multi-line one ends at "<code> "), one at a time. */
class Replies {
  private buffer = '';
  private waiting?: { resolve: (r: { code: number; text: string }) => void; reject: (e: Error) => void };
  private failure?: Error;

  constructor(socket: Socket | TLSSocket) {
    this.attach(socket);
  }

  attach(socket: Socket | TLSSocket) {
    socket.on('data', (d: Buffer) => {
      this.buffer += d.toString('utf8');
      this.deliver();
    });
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('the server closed the connection')));
  }

  next(): Promise<{ code: number; text: string }> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.deliver();
    });
  }

  private deliver() {
    const end = /^(\d{3}) .*$/m.exec(this.buffer);
    if (!end || !this.waiting) return;
    const upTo = end.index + end[0].length;
    const text = this.buffer.slice(0, upTo).replace(/\r/g, '');
    this.buffer = this.buffer.slice(upTo).replace(/^\r?\n/, '');
    const w = this.waiting;
    this.waiting = undefined;
    w.resolve({ code: Number(end[1]), text });
  }

  private fail(err: Error) {
    this.failure ??= err;
    this.waiting?.reject(err);
    this.waiting = undefined;
  }
}

/**
 * A small SMTP client over node:net/node:tls (no mail library is installed): EHLO, STARTTLS,
 * AUTH PLAIN (only over TLS), one message to one recipient. Resolves with the server's final
 * code; rejects with the step and the server's answer.
 */
export const sendEmail = async (server: SmtpServer, email: Email, timeoutMs = 10_000): Promise<number> => {
  // The name the certificate must carry (SNI takes no IP address: an address is checked against the certificate's IP entries).
  const trust = { ...(server.ca ? { ca: [...rootCertificates, server.ca] } : {}), ...(isIP(server.host) ? {} : { servername: server.host }) };
  let socket: Socket | TLSSocket = server.security === 'tls' ? tlsConnect({ host: server.host, port: server.port, ...trust }) : netConnect({ host: server.host, port: server.port });
  const timer = setTimeout(() => socket.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  const replies = new Replies(socket);
  const expect = async (step: string, ok: number[]) => {
    const r = await replies.next();
    if (!ok.includes(r.code)) throw new Error(`the SMTP server refused ${step}: ${r.text.trim().slice(0, 200)}`);
    return r;
  };
  const say = (line: string, step: string, ok: number[]) => {
    socket.write(`${line}\r\n`);
    return expect(step, ok);
  };
  try {
    await expect('the connection', [220]);
    let ehlo = await say('EHLO slipway', 'EHLO', [250]);
    if (server.security === 'starttls') {
      if (!/STARTTLS/i.test(ehlo.text)) throw new Error(`the SMTP server at ${server.host}:${server.port} does not offer STARTTLS`);
      await say('STARTTLS', 'STARTTLS', [220]);
      for (const event of ['data', 'error', 'close']) socket.removeAllListeners(event); // the TLS socket reads from now on
      socket = tlsConnect({ socket, host: server.host, ...trust });
      replies.attach(socket);
      ehlo = await say('EHLO slipway', 'EHLO', [250]);
    }
    if (server.username) {
      if (server.security === 'none') throw new Error('a password is sent only over TLS: set security to starttls or tls');
      const plain = Buffer.from(`\0${server.username}\0${server.password ?? ''}`).toString('base64');
      await say(`AUTH PLAIN ${plain}`, 'the user name or password', [235]);
    }
    await say(`MAIL FROM:<${addressOf(email.from)}>`, 'the sender', [250]);
    await say(`RCPT TO:<${addressOf(email.to)}>`, 'the recipient', [250, 251]);
    await say('DATA', 'DATA', [354]);
    const done = await say(`${renderEmail(email)}\r\n.`, 'the message', [250]);
    socket.write('QUIT\r\n');
    return done.code;
  } catch (err) {
    throw new Error(`Email to ${email.to} via ${server.host}:${server.port} failed: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
    socket.end();
  }
};
