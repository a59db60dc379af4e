import { z } from 'zod';
import { defineCommand, sealedFor } from './commands';
import { alertRuleFields, channelKind, smtpSecurity } from './events/alert.events';
import { id } from './events/common';

/** The gateway seals the URL and the webhook's secret (which it generated and shows once) for the metrics service. */
export const CreateNotificationChannel = defineCommand(
  'metrics',
  'create-notification-channel',
  z.object({
    channelId: id,
    projectId: id,
    kind: channelKind,
    label: z.string().min(1).max(320),
    url: sealedFor('metrics').nullable(),
    email: z.string().max(320).nullable(),
    secret: sealedFor('metrics').nullable(),
  }),
);
export const DeleteNotificationChannel = defineCommand('metrics', 'delete-notification-channel', z.object({ channelId: id }));
/** Sends a test notification now; the reply says whether the receiver took it. */
export const TestNotificationChannel = defineCommand('metrics', 'test-notification-channel', z.object({ channelId: id }));

export const CreateAlertRule = defineCommand('metrics', 'create-alert-rule', z.object(alertRuleFields));
export const DeleteAlertRule = defineCommand('metrics', 'delete-alert-rule', z.object({ ruleId: id }));

/** The instance's SMTP server (the instance owner's); `password` null: none. */
export const SetSmtpSettings = defineCommand(
  'metrics',
  'set-smtp-settings',
  z.object({
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65_535),
    security: smtpSecurity,
    from: z.string().min(3).max(320),
    username: z.string().max(320).nullable(),
    password: sealedFor('metrics').nullable(),
  }),
);

export const alertCommands = [CreateNotificationChannel, DeleteNotificationChannel, TestNotificationChannel, CreateAlertRule, DeleteAlertRule, SetSmtpSettings] as const;
