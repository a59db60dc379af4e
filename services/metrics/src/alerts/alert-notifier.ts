import { Logger } from '@nestjs/common';
import { deriveEventId, type EventStore } from '@slipway/event-store';
import type { SecretOpener } from '@slipway/secret-box';
import type { CommandMetadata } from '@slipway/proto';
import type { AlertRuleEvent } from './alert-rule.decider';
import { notificationChannels, smtpSettings, SMTP_SETTINGS_ID } from './alerts.aggregate';
import { serviceNames } from './alert-readings';
import type { ChannelSenders } from './channel-senders.adapter';
import { deliveryKey, type ChannelData } from './notification-channel.decider';
import { emailContent, slackBody, webhookBody, type AlertNotice } from './notification-content';

type AlertEvent = Extract<AlertRuleEvent, { type: 'AlertFired' | 'AlertResolved' }>;
export type DeliveryResult = { ok: true; status: number } | { ok: false; reason: string };

/**
 * Sends an alert's firing or resolving to each channel of its rule, and records each outcome on
 * the channel's stream (NotificationSent / NotificationFailed). A delivery already recorded is not
 * sent again (the event that asks for it may be redelivered). Secrets are opened here and only here.
 */
export class AlertNotifier {
  private readonly log = new Logger('alerts');

  constructor(
    private readonly events: { readonly store: EventStore },
    private readonly opener: SecretOpener,
    private readonly senders: ChannelSenders,
  ) {}

  async notify(event: AlertEvent, channelIds: string[], rule: AlertNotice['rule'], metadata: CommandMetadata): Promise<void> {
    const d = event.data;
    const outcome = event.type === 'AlertFired' ? 'fired' : 'resolved';
    const names = await this.names(d.projectId);
    const notice: AlertNotice = {
      outcome,
      alertId: d.alertId,
      rule,
      project: { id: d.projectId, name: names.project },
      service: d.serviceId ? { id: d.serviceId, name: names.services.get(d.serviceId) ?? null } : null,
      subject: d.subject,
      value: d.value,
      message: d.message,
      at: event.type === 'AlertFired' ? event.data.firedAt : event.data.resolvedAt,
    };
    for (const channelId of channelIds) {
      const { state } = await notificationChannels.load(this.events.store, channelId);
      if (state.status !== 'active' || state.delivered.includes(deliveryKey(d.alertId, outcome))) continue;
      const result = await this.deliver(state.channel, notice);
      await this.record(state.channel.channelId, notice, result, { ...metadata, commandId: deriveEventId(`${metadata.commandId}/${channelId}`, 0) });
    }
  }

  /** A test notification, now: the reply says whether the receiver took it. */
  async test(channelId: string, metadata: CommandMetadata): Promise<DeliveryResult & { channel: ChannelData | null }> {
    const { state } = await notificationChannels.load(this.events.store, channelId);
    if (state.status !== 'active') return { ok: false, reason: `No notification channel ${channelId}`, channel: null };
    const names = await this.names(state.channel.projectId);
    const notice: AlertNotice = {
      outcome: 'test',
      alertId: null,
      rule: null,
      project: { id: state.channel.projectId, name: names.project },
      service: null,
      subject: null,
      value: null,
      message: 'A test notification: this channel works',
      at: metadata.now,
    };
    const result = await this.deliver(state.channel, notice);
    await this.record(channelId, notice, result, metadata);
    return { ...result, channel: state.channel };
  }

  private async deliver(channel: ChannelData, notice: AlertNotice): Promise<DeliveryResult & { durationMs: number }> {
    const started = Date.now();
    try {
      const status = await this.send(channel, notice);
      return { ok: true, status, durationMs: Date.now() - started };
    } catch (err) {
      const reason = (err as Error).message.slice(0, 500) || 'unknown error';
      this.log.warn(`notification to channel ${channel.channelId} failed: ${reason}`);
      return { ok: false, reason, durationMs: Date.now() - started };
    }
  }

  private async send(channel: ChannelData, notice: AlertNotice): Promise<number> {
    switch (channel.kind) {
      case 'webhook':
        return this.senders.webhook(this.opener.open(channel.url!), this.opener.open(channel.secret!), webhookBody(notice), `alert.${notice.outcome}`);
      case 'slack':
        return this.senders.slack(this.opener.open(channel.url!), slackBody(notice));
      case 'email': {
        const smtp = (await smtpSettings.load(this.events.store, SMTP_SETTINGS_ID)).state;
        if (!smtp) throw new Error('No SMTP server is set for this instance: the instance owner sets one (setSmtpSettings)');
        const server = { host: smtp.host, port: smtp.port, security: smtp.security, username: smtp.username, password: smtp.password ? this.opener.open(smtp.password) : null };
        return this.senders.email(server, { from: smtp.from, to: channel.email!, ...emailContent(notice) });
      }
    }
  }

  private async record(channelId: string, notice: AlertNotice, result: DeliveryResult & { durationMs: number }, metadata: CommandMetadata) {
    const base = { channelId, alertId: notice.alertId, ruleId: notice.rule?.id ?? null, outcome: notice.outcome, durationMs: result.durationMs };
    const data = result.ok ? { sent: { ...base, status: result.status } } : { failed: { ...base, reason: result.reason } };
    await notificationChannels.handle(this.events.store, channelId, { type: 'RecordDelivery', data, now: new Date().toISOString() }, metadata);
  }

  private async names(projectId: string): Promise<{ project: string | null; services: Map<string, string> }> {
    const { events } = await this.events.store.read({ context: 'project', aggregate: 'project', id: projectId });
    const created = events.find((e) => e.type === 'ProjectCreated');
    return { project: created ? String(created.data.name) : null, services: serviceNames(events) };
  }
}
