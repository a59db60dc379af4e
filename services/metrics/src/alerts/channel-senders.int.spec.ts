import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMailpit, startScratchMailpit, waitUntil, type Mailpit } from '@slipway/testing';
import { ChannelSenders } from './channel-senders.adapter';
import { signBody } from './notification-content';

/** The senders against real receivers: an HTTP server of the test's own, and Mailpit over SMTP. */
describe('channel senders', () => {
  let mailpit: Mailpit;
  let server: Server;
  let url = '';
  let answer = 204;
  let delayMs = 0;
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];

  beforeAll(async () => {
    mailpit = await startMailpit();
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        setTimeout(() => res.writeHead(answer).end(), delayMs);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  }, 300_000);

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('posts a webhook signed with the channel secret, and says why one was refused or timed out', async () => {
    const senders = new ChannelSenders(1_000);
    const body = JSON.stringify({ type: 'alert.test', n: randomUUID() });
    await expect(senders.webhook(url, 'k3y', body, 'alert.test')).resolves.toBe(204);
    expect(received.at(-1)!.body).toBe(body);
    expect(received.at(-1)!.headers['x-slipway-signature']).toBe(signBody('k3y', body));
    expect(received.at(-1)!.headers['x-slipway-event']).toBe('alert.test');

    answer = 500;
    await expect(senders.slack(url, '{"text":"hi"}')).rejects.toThrow(/The webhook at 127\.0\.0\.1:\d+ answered 500/);
    answer = 200;
    delayMs = 1_500;
    await expect(senders.slack(url, '{"text":"hi"}')).rejects.toThrow(/did not answer within 1 s/);
    delayMs = 0;
    await expect(senders.webhook('http://127.0.0.1:9/none', 'k', '{}', 'alert.test')).rejects.toThrow(/could not be reached/);
  });

  it('delivers an email through a real SMTP server', async () => {
    const to = `ops-${randomUUID().slice(0, 8)}@example.com`;
    const started = Date.now();
    const code = await new ChannelSenders().email(
      { ...mailpit.smtp, security: 'none', username: null, password: null },
      { from: 'Slipway <alerts@slipway.test>', to, subject: '[TEST] shop: ünïcode subject', text: 'line one\n.starts with a dot' },
    );
    expect(code).toBe(250);
    await waitUntil('the email in Mailpit', async () => (await mailpit.messagesTo(to)).length === 1, 10_000);
    const [message] = await mailpit.messagesTo(to);
    console.log(`email in Mailpit ${Date.now() - started} ms after the send began`);
    expect(message.Subject).toBe('[TEST] shop: ünïcode subject');
    expect(message.From.Address).toBe('alerts@slipway.test');
    expect(await mailpit.text(message.ID)).toMatch(/^line one\r?\n\.starts with a dot/);
    await expect(
      new ChannelSenders(2_000).email({ host: '127.0.0.1', port: 9, security: 'none', username: null, password: null }, { from: 'a@b.test', to, subject: 's', text: 't' }),
    ).rejects.toThrow(/Email to .* via 127\.0\.0\.1:9 failed/);
  });

  it.each([['starttls' as const], ['tls' as const]])('signs in over %s, and is refused with a wrong password', async (security) => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-smtp-cert-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const tls = await startScratchMailpit({ certPem, keyPem: readFileSync(join(dir, 'key.pem'), 'utf8'), users: 'alerts:right-password\n', implicitTls: security === 'tls' });
    rmSync(dir, { recursive: true, force: true });
    try {
      const to = `tls-${randomUUID().slice(0, 8)}@example.com`;
      const server = { ...tls.smtp, security, username: 'alerts', password: 'right-password', ca: certPem };
      await expect(new ChannelSenders().email(server, { from: 'alerts@slipway.test', to, subject: `over ${security}`, text: 'sealed' })).resolves.toBe(250);
      await waitUntil('the email in the scratch Mailpit', async () => (await tls.messagesTo(to)).length === 1, 10_000);
      await expect(new ChannelSenders().email({ ...server, password: 'wrong' }, { from: 'alerts@slipway.test', to, subject: 's', text: 't' })).rejects.toThrow(/refused the user name or password/);
      // Without trusting its CA, the certificate is refused: no password leaves over an unverified connection.
      await expect(new ChannelSenders().email({ ...server, ca: undefined }, { from: 'alerts@slipway.test', to, subject: 's', text: 't' })).rejects.toThrow(/self-signed certificate/);
    } finally {
      await tls.stop();
    }
  });
});
