import { sendEmail, type Email, type SmtpServer } from './smtp-client.adapter';
import { SIGNATURE_HEADER, signBody } from './notification-content';

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return 'the channel';
  }
};

/**
 * The three ways out: a signed webhook, a Slack-compatible webhook and email. Each resolves with the
 * receiver's status (HTTP or SMTP) or rejects with a reason a person can act on, within the timeout.
 */
export class ChannelSenders {
  constructor(readonly timeoutMs = 10_000) {}

  private async post(url: string, body: string, headers: Record<string, string>): Promise<number> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Slipway-Alerts', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.timeoutMs),
    }).catch((err: Error) => {
      const why = err.name === 'TimeoutError' ? `did not answer within ${this.timeoutMs / 1000} s` : `could not be reached (${(err.cause as Error | undefined)?.message ?? err.message})`;
      throw new Error(`The webhook at ${hostOf(url)} ${why}`);
    });
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status > 299) throw new Error(`The webhook at ${hostOf(url)} answered ${res.status} ${res.statusText}`.trim());
    return res.status;
  }

  webhook(url: string, secret: string, body: string, event: string): Promise<number> {
    return this.post(url, body, { [SIGNATURE_HEADER]: signBody(secret, body), 'X-Slipway-Event': event });
  }

  slack(url: string, body: string): Promise<number> {
    return this.post(url, body, {});
  }

  email(server: SmtpServer, email: Email): Promise<number> {
    return sendEmail(server, email, this.timeoutMs);
  }
}
