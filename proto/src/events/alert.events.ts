import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { id, timestamp } from './common';
import { sealedSecret } from './service-spec';

/**
 * Alerts and notifications (issue 13), owned by the metrics service. A channel's URL (a Slack URL
 * is itself a credential), its signing secret and the SMTP password exist only sealed for the
 * metrics service, which alone opens them to send.
 */
const inChannel = { context: 'metrics', aggregate: 'notification-channel' } as const;
const inRule = { context: 'metrics', aggregate: 'alert-rule' } as const;

export const channelKind = z.enum(['webhook', 'slack', 'email']);
export type ChannelKind = z.infer<typeof channelKind>;
export const alertMetric = z.enum(['cpu', 'memory', 'restarts', 'deployment-failed', 'certificate-expiry', 'host-disk']);
export type AlertMetric = z.infer<typeof alertMetric>;
/** What a delivery was about: an alert firing or resolving, or a person's test. */
export const notificationOutcome = z.enum(['fired', 'resolved', 'test']);

export const NotificationChannelCreated = defineEvent(
  'NotificationChannelCreated',
  inChannel,
  z.object({
    channelId: id,
    projectId: id,
    kind: channelKind,
    /** What people see of it: the URL's host (never its path, which holds a Slack token), or the email address. */
    label: z.string().min(1).max(320),
    /** The webhook or Slack URL; null for email. */
    url: sealedSecret.nullable(),
    /** The address; null for webhooks. Not a secret. */
    email: z.string().max(320).nullable(),
    /** The webhook's HMAC-SHA256 key (X-Slipway-Signature); null for Slack and email. */
    secret: sealedSecret.nullable(),
    createdAt: timestamp,
  }),
);
export const NotificationChannelDeleted = defineEvent('NotificationChannelDeleted', inChannel, z.object({ channelId: id, deletedAt: timestamp }));

const delivery = {
  channelId: id,
  alertId: id.nullable(),
  ruleId: id.nullable(),
  outcome: notificationOutcome,
  /** How long the send took, up to its timeout. */
  durationMs: z.number().int().min(0),
};
/** The receiver took it: an HTTP 2xx, or the SMTP server's 250 after the message. */
export const NotificationSent = defineEvent('NotificationSent', inChannel, z.object({ ...delivery, status: z.number().int(), sentAt: timestamp }));
/** Refused, unreachable or timed out; the reason is what a person can act on. */
export const NotificationFailed = defineEvent('NotificationFailed', inChannel, z.object({ ...delivery, reason: z.string().min(1).max(500), failedAt: timestamp }));

/** A rule as CreateAlertRule asks for it and AlertRuleCreated records it. */
export const alertRuleFields = {
  ruleId: id,
  projectId: id,
  metric: alertMetric,
  /** cpu: cores; memory: MB; restarts: count in the window; host-disk: percent used; certificate-expiry: days; deployment-failed: unused (0). */
  threshold: z.number().min(0),
  /** How long the value stays past the threshold before it fires (restarts: the window); fractions allowed. */
  forMinutes: z.number().min(0).max(10_080),
  /** One service, or null for each service of the project (host-disk: the host). */
  serviceId: id.nullable(),
  channelIds: z.array(id).min(1).max(20),
};

export const AlertRuleCreated = defineEvent('AlertRuleCreated', inRule, z.object({ ...alertRuleFields, createdAt: timestamp }));
export const AlertRuleDeleted = defineEvent('AlertRuleDeleted', inRule, z.object({ ruleId: id, deletedAt: timestamp }));

/** `subject` is what the alert is about: a service id, a hostname, a deployment id or "host". */
const alertOf = { alertId: id, ruleId: id, projectId: id, metric: alertMetric, serviceId: id.nullable(), subject: z.string().min(1).max(300) };
export const AlertFired = defineEvent('AlertFired', inRule, z.object({ ...alertOf, value: z.number(), threshold: z.number(), message: z.string().min(1).max(500), firedAt: timestamp }));
/** Back under the threshold, or its rule was deleted. A failed deployment resolves when a later one of the service succeeds. */
export const AlertResolved = defineEvent(
  'AlertResolved',
  inRule,
  z.object({ ...alertOf, value: z.number().nullable(), reason: z.enum(['recovered', 'rule-deleted']), message: z.string().min(1).max(500), resolvedAt: timestamp }),
);

/** The instance's SMTP server for alert emails (stream metrics/smtp-settings/global). */
export const smtpSecurity = z.enum(['none', 'starttls', 'tls']);
export const SmtpSettingsChanged = defineEvent(
  'SmtpSettingsChanged',
  { context: 'metrics', aggregate: 'smtp-settings' },
  z.object({
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65_535),
    security: smtpSecurity,
    from: z.string().min(3).max(320),
    username: z.string().max(320).nullable(),
    password: sealedSecret.nullable(),
  }),
);

export const alertEvents = [
  NotificationChannelCreated,
  NotificationChannelDeleted,
  NotificationSent,
  NotificationFailed,
  AlertRuleCreated,
  AlertRuleDeleted,
  AlertFired,
  AlertResolved,
  SmtpSettingsChanged,
] as const;
