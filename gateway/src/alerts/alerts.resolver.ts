import { randomBytes } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { ulid } from 'ulid';
import { newCommandMetadata, sendCommand } from '@slipway/messaging';
import { CreateAlertRule, CreateNotificationChannel, DeleteAlertRule, DeleteNotificationChannel, SetSmtpSettings, TestNotificationChannel, viewSubject } from '@slipway/proto';
import { sealFor } from '@slipway/secret-box';
import { asGraphqlError, badInput } from '../command-errors';
import { instanceOwner, onProject, projectArg, type OperationRules, type ProjectRef } from '../auth/operation-rules';
import type { GatewayContext } from '../gateway-context';
import { awaitView } from '../read-models/await-view';
import { strip } from '../read-models/projection-runner';
import { alertRuleInput, channelInput, smtpInput, type AlertRuleInput, type ChannelInput, type SmtpInput } from './alerts-input';
import type { AlertRuleView, AlertView, NotificationChannelView, SmtpSettingsView } from './alerts.projection';

const collection = async <T>(ctx: GatewayContext, name: string) => (await ctx.readStore.db()).collection<T & { _id: string }>(name);
const send = (ctx: GatewayContext, command: Parameters<typeof sendCommand>[1], data: unknown) =>
  sendCommand(ctx.platform.connection, command, data, newCommandMetadata(ctx.actor)).catch(asGraphqlError);

const upper = <T extends { kind?: string; metric?: string }>(doc: T) => ({
  ...doc,
  ...(doc.kind ? { kind: doc.kind.toUpperCase() } : {}),
  ...(doc.metric ? { metric: doc.metric.toUpperCase().replace(/-/g, '_') } : {}),
});

/**
 * The project of a channel or rule: its document's, or, for one not (yet) in the read model, the
 * project its id starts with (`<projectId>-nc-…`, `<projectId>-ar-…`), so outsiders are refused alike.
 */
const projectOf = (name: 'notification_channels' | 'alert_rules', noun: string, marker: string) => async (args: Record<string, unknown>, ctx: GatewayContext): Promise<ProjectRef> => {
  const id = String(args.id ?? '');
  const doc = await (await collection<{ projectId: string }>(ctx, name)).findOne({ _id: id });
  return projectArg('projectId')({ projectId: doc?.projectId ?? id.split(marker)[0] }, ctx).catch(() => {
    throw new GraphQLError(`No ${noun} ${id}`, { extensions: { code: 'NOT_FOUND', field: 'id' } });
  });
};
const projectOfChannel = projectOf('notification_channels', 'notification channel', '-nc-');
const projectOfRule = projectOf('alert_rules', 'alert rule', '-ar-');

const liveChannel = async (ctx: GatewayContext, id: string) => {
  const doc = await (await collection<NotificationChannelView>(ctx, 'notification_channels')).findOne({ _id: id, deletedAt: null });
  if (!doc) throw new GraphQLError(`No notification channel ${id}`, { extensions: { code: 'NOT_FOUND', field: 'id' } });
  return strip(doc) as NotificationChannelView;
};

export const alertsResolvers = {
  Query: {
    notificationChannels: async (_: unknown, { projectId }: { projectId: string }, ctx: GatewayContext) =>
      (await (await collection<NotificationChannelView>(ctx, 'notification_channels')).find({ projectId, deletedAt: null }).sort({ createdAt: 1 }).toArray()).map((d) => upper(strip(d) as NotificationChannelView)),
    alertRules: async (_: unknown, { projectId }: { projectId: string }, ctx: GatewayContext) =>
      (await (await collection<AlertRuleView>(ctx, 'alert_rules')).find({ projectId, deletedAt: null }).sort({ createdAt: 1 }).toArray()).map((d) => upper(strip(d) as AlertRuleView)),
    alerts: async (_: unknown, args: { projectId: string; status?: 'FIRING' | 'RESOLVED' | null; first?: number | null }, ctx: GatewayContext) => {
      const filter = { projectId: args.projectId, ...(args.status ? { status: args.status } : {}) };
      const docs = await (await collection<AlertView>(ctx, 'alerts')).find(filter).sort({ firedAt: -1, _id: -1 }).limit(Math.min(Math.max(args.first ?? 50, 1), 500)).toArray();
      return docs.map((d) => upper(strip(d) as AlertView));
    },
    smtpSettings: async (_: unknown, __: unknown, ctx: GatewayContext) => {
      const doc = await (await collection<SmtpSettingsView>(ctx, 'smtp_settings')).findOne({ _id: 'global' });
      return doc ? { ...(strip(doc) as SmtpSettingsView), security: (doc as SmtpSettingsView).security.toUpperCase() } : null;
    },
  },
  Mutation: {
    createNotificationChannel: async (_: unknown, { projectId, input }: { projectId: string; input: ChannelInput }, ctx: GatewayContext) => {
      const channel = channelInput(input);
      const channelId = `${projectId}-nc-${ulid().toLowerCase()}`;
      const secret = channel.kind === 'webhook' ? randomBytes(32).toString('hex') : null;
      // Sealed for the metrics service, the one that sends: the URL (a Slack URL is a credential) and the secret never cross the bus in clear.
      await send(ctx, CreateNotificationChannel, {
        channelId,
        projectId,
        kind: channel.kind,
        label: channel.label,
        url: channel.url ? sealFor('metrics', channel.url) : null,
        email: channel.email,
        secret: secret ? sealFor('metrics', secret) : null,
      });
      const view = await awaitView<NotificationChannelView>(ctx, 'notification_channels', channelId);
      return { id: channelId, secret, channel: upper(view ?? { id: channelId, projectId, kind: channel.kind, label: channel.label, email: channel.email, createdAt: new Date().toISOString(), lastDelivery: null }) };
    },
    deleteNotificationChannel: async (_: unknown, { id }: { id: string }, ctx: GatewayContext) => {
      await liveChannel(ctx, id);
      await send(ctx, DeleteNotificationChannel, { channelId: id });
      await awaitView<NotificationChannelView>(ctx, 'notification_channels', id, (c) => c.deletedAt !== null);
      return true;
    },
    testNotificationChannel: async (_: unknown, { id }: { id: string }, ctx: GatewayContext) => {
      await liveChannel(ctx, id);
      const reply = await send(ctx, TestNotificationChannel, { channelId: id });
      return { ok: reply.ok === true, status: typeof reply.status === 'number' ? reply.status : null, reason: typeof reply.reason === 'string' ? reply.reason : null };
    },
    createAlertRule: async (_: unknown, { projectId, input }: { projectId: string; input: AlertRuleInput }, ctx: GatewayContext) => {
      const rule = alertRuleInput(input);
      if (rule.serviceId) {
        const service = await (await collection<{ projectId: string; deletedAt?: string }>(ctx, 'services')).findOne({ _id: rule.serviceId });
        if (!service || service.deletedAt || service.projectId !== projectId) throw badInput(`No service ${rule.serviceId} in this project`, 'input.serviceId');
      }
      const ruleId = `${projectId}-ar-${ulid().toLowerCase()}`;
      await send(ctx, CreateAlertRule, { ruleId, projectId, ...rule });
      const view = await awaitView<AlertRuleView>(ctx, 'alert_rules', ruleId);
      return upper(view ?? { id: ruleId, projectId, ...rule, createdAt: new Date().toISOString(), deletedAt: null });
    },
    deleteAlertRule: async (_: unknown, { id }: { id: string }, ctx: GatewayContext) => {
      const doc = await (await collection<AlertRuleView>(ctx, 'alert_rules')).findOne({ _id: id, deletedAt: null });
      if (!doc) throw new GraphQLError(`No alert rule ${id}`, { extensions: { code: 'NOT_FOUND', field: 'id' } });
      await send(ctx, DeleteAlertRule, { ruleId: id });
      await awaitView<AlertRuleView>(ctx, 'alert_rules', id, (r) => r.deletedAt !== null);
      return true;
    },
    setSmtpSettings: async (_: unknown, { input }: { input: SmtpInput }, ctx: GatewayContext) => {
      const smtp = smtpInput(input);
      await send(ctx, SetSmtpSettings, { ...smtp, password: smtp.password ? sealFor('metrics', smtp.password) : null });
      const same = (s: SmtpSettingsView) => s.host === smtp.host && s.port === smtp.port && s.from === smtp.from && s.username === smtp.username && s.passwordSet === Boolean(smtp.password);
      const view = await awaitView<SmtpSettingsView>(ctx, 'smtp_settings', 'global', same);
      return { ...(view ?? { host: smtp.host, port: smtp.port, from: smtp.from, username: smtp.username, passwordSet: Boolean(smtp.password) }), security: smtp.security.toUpperCase() };
    },
  },
  Subscription: {
    alertNotifications: {
      subscribe: async function* (_: unknown, { projectId }: { projectId: string }, ctx: GatewayContext) {
        // Announced by the projection after the alert's document is written: a refetch sees it.
        const sub = ctx.platform.connection.subscribe(viewSubject('alerts', '*'));
        try {
          for await (const m of sub) {
            const doc = m.json<AlertView & { _id?: string }>();
            if (doc.projectId !== projectId) continue;
            yield { alertNotifications: upper(strip(doc as AlertView & { _id: string }) as AlertView) };
          }
        } finally {
          sub.unsubscribe();
        }
      },
    },
  },
};

export const alertsRules: OperationRules = {
  'Query.notificationChannels': onProject('read', projectArg('projectId')),
  'Query.alertRules': onProject('read', projectArg('projectId')),
  'Query.alerts': onProject('read', projectArg('projectId')),
  'Query.smtpSettings': instanceOwner('read the SMTP settings'),
  'Mutation.createNotificationChannel': onProject('manage-alerts', projectArg('projectId')),
  'Mutation.deleteNotificationChannel': onProject('manage-alerts', projectOfChannel),
  'Mutation.testNotificationChannel': onProject('manage-alerts', projectOfChannel),
  'Mutation.createAlertRule': onProject('manage-alerts', projectArg('projectId')),
  'Mutation.deleteAlertRule': onProject('manage-alerts', projectOfRule),
  'Mutation.setSmtpSettings': instanceOwner('set the SMTP server'),
  'Subscription.alertNotifications': onProject('read', projectArg('projectId')),
};
