import { badInput } from '../command-errors';

export interface ChannelInput {
  kind: 'WEBHOOK' | 'SLACK' | 'EMAIL';
  url?: string | null;
  email?: string | null;
}
export interface AlertRuleInput {
  metric: 'CPU' | 'MEMORY' | 'RESTARTS' | 'DEPLOYMENT_FAILED' | 'CERTIFICATE_EXPIRY' | 'HOST_DISK';
  threshold?: number | null;
  forMinutes?: number | null;
  serviceId?: string | null;
  channelIds: string[];
}
export interface SmtpInput {
  host: string;
  port: number;
  security: 'NONE' | 'STARTTLS' | 'TLS';
  from: string;
  username?: string | null;
  password?: string | null;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$|^[^\s@<>]+@localhost$/;

/** A channel as the metrics service records it: the kind in its words, the URL checked, a label that shows no secret. */
export const channelInput = (input: ChannelInput) => {
  const kind = input.kind.toLowerCase() as 'webhook' | 'slack' | 'email';
  if (kind === 'email') {
    const email = input.email?.trim() ?? '';
    if (!EMAIL.test(email) || email.length > 320) throw badInput('Give the email address to send alerts to, like ops@example.com', 'input.email');
    return { kind, url: null, email, label: email };
  }
  const raw = input.url?.trim() ?? '';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badInput(`Give the URL to POST ${kind === 'slack' ? 'Slack messages' : 'alerts'} to, like https://hooks.example.com/slipway`, 'input.url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput('The URL must start with https:// (or http://)', 'input.url');
  if (url.username || url.password) throw badInput('Put no user name or password in the URL: webhooks are signed instead', 'input.url');
  if (raw.length > 2000) throw badInput('The URL is longer than 2000 characters', 'input.url');
  return { kind, url: raw, email: null, label: url.host };
};

const DEFAULT_FOR_MINUTES = 5;

/** A rule in the metric's own units, with the checks a person can act on. */
export const alertRuleInput = (input: AlertRuleInput) => {
  const metric = input.metric.toLowerCase().replace(/_/g, '-') as 'cpu' | 'memory' | 'restarts' | 'deployment-failed' | 'certificate-expiry' | 'host-disk';
  if (!input.channelIds.length) throw badInput('Name at least one notification channel for the rule (createNotificationChannel first)', 'input.channelIds');
  const forMinutes = input.forMinutes ?? DEFAULT_FOR_MINUTES;
  if (!Number.isFinite(forMinutes) || forMinutes < 0 || forMinutes > 10_080) throw badInput('forMinutes is between 0 and 10080 (a week)', 'input.forMinutes');
  let threshold = input.threshold ?? null;
  if (metric === 'deployment-failed') threshold = 0;
  else if (threshold === null || !Number.isFinite(threshold) || threshold < 0) {
    const units = { cpu: 'cores, e.g. 0.8', memory: 'MB, e.g. 400', restarts: 'restarts, e.g. 3', 'certificate-expiry': 'days left, e.g. 14', 'host-disk': 'percent used, e.g. 90' }[metric];
    throw badInput(`Give a threshold of 0 or more, in ${units}`, 'input.threshold');
  }
  if (metric === 'host-disk' && threshold > 100) throw badInput('A disk threshold is a percentage: at most 100', 'input.threshold');
  return { metric, threshold, forMinutes, serviceId: input.serviceId ?? null, channelIds: [...new Set(input.channelIds)] };
};

export const smtpInput = (input: SmtpInput) => {
  const host = input.host.trim().toLowerCase();
  if (!/^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/.test(host) || host.length > 253) throw badInput('Give the SMTP server as a host name or address, like smtp.example.com', 'input.host');
  if (!Number.isInteger(input.port) || input.port < 1 || input.port > 65_535) throw badInput('The SMTP port is between 1 and 65535 (usually 587, or 465 for TLS)', 'input.port');
  const from = input.from.trim();
  if (!/[^\s@<>]+@[^\s@<>]+/.test(from) || from.length > 320) throw badInput('Give the sender, like Slipway <alerts@example.com>', 'input.from');
  const username = input.username?.trim() || null;
  const password = input.password || null;
  const security = input.security.toLowerCase() as 'none' | 'starttls' | 'tls';
  if (username && security === 'none') throw badInput('A password is sent only over TLS: choose STARTTLS or TLS', 'input.security');
  return { host, port: input.port, security, from, username, password };
};
