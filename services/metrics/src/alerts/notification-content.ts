import { createHmac } from 'node:crypto';
import type { AlertMetric } from '@slipway/proto';

/** What one delivery says, whatever the channel. */
export interface AlertNotice {
  outcome: 'fired' | 'resolved' | 'test';
  alertId: string | null;
  rule: { id: string; metric: AlertMetric; threshold: number; forMinutes: number } | null;
  project: { id: string; name: string | null };
  service: { id: string; name: string | null } | null;
  subject: string | null;
  value: number | null;
  message: string;
  at: string;
}

/** The same scheme as the git hosts' webhooks we verify (GitHub's): `sha256=<hex HMAC-SHA256 of the raw body>`. */
export const SIGNATURE_HEADER = 'X-Slipway-Signature';
export const signBody = (secret: string, body: string): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** The webhook's JSON body: the notice as it is, with a type a receiver can switch on. */
export const webhookBody = (notice: AlertNotice): string => JSON.stringify({ type: `alert.${notice.outcome}`, ...notice });

const headline = (notice: AlertNotice): string => {
  const where = notice.service?.name ? `${notice.project.name ?? notice.project.id}/${notice.service.name}` : (notice.project.name ?? notice.project.id);
  switch (notice.outcome) {
    case 'fired':
      return `[FIRING] ${where}: ${notice.message}`;
    case 'resolved':
      return `[RESOLVED] ${where}: ${notice.message}`;
    case 'test':
      return `[TEST] ${where}: ${notice.message}`;
  }
};

/** Slack's incoming webhooks (and the chat tools that copy them) take `{ text }`. */
export const slackBody = (notice: AlertNotice): string => JSON.stringify({ text: headline(notice) });

export const emailContent = (notice: AlertNotice): { subject: string; text: string } => ({
  subject: headline(notice).slice(0, 200),
  text: [
    headline(notice),
    '',
    ...(notice.rule ? [`Rule: ${notice.rule.metric} (threshold ${notice.rule.threshold}, for ${notice.rule.forMinutes} min), ${notice.rule.id}`] : []),
    ...(notice.service ? [`Service: ${notice.service.name ?? notice.service.id} (${notice.service.id})`] : []),
    ...(notice.subject ? [`Subject: ${notice.subject}`] : []),
    ...(notice.value !== null ? [`Value: ${notice.value}`] : []),
    `At: ${notice.at}`,
    '',
    '-- Slipway',
  ].join('\n'),
});
