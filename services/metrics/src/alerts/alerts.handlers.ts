import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { deriveEventId, type StoredEvent } from '@slipway/event-store';
import { Command, DomainError, OnEvent, PlatformConnection, workflowMetadata, type CommandPayload } from '@slipway/messaging';
import {
  CreateAlertRule,
  CreateNotificationChannel,
  DeleteAlertRule,
  DeleteNotificationChannel,
  SetSmtpSettings,
  TestNotificationChannel,
  type CommandMetadata,
  type EventData,
  type SmtpSettingsChanged,
} from '@slipway/proto';
import type { AlertRuleCommand, AlertRuleEvent, RuleData } from './alert-rule.decider';
import { activeRules, ruleStates } from './alert-evaluator';
import { AlertNotifier } from './alert-notifier';
import { alertRules, notificationChannels, smtpSettings, SMTP_SETTINGS_ID } from './alerts.aggregate';
import type { ChannelData } from './notification-channel.decider';

const NOTIFY = 'metrics-notify-on-alert';
const DEPLOYMENTS = 'metrics-on-deployment-failed';
const PROJECT_DELETED = 'metrics-on-project-deleted';

/** Wiring only: people's commands into the alert-rule and channel streams, alerts into notifications, failed deployments into alerts. */
@Controller()
export class AlertsHandlers {
  constructor(
    @Inject(PlatformConnection) private readonly platform: PlatformConnection,
    @Inject(AlertNotifier) private readonly notifier: AlertNotifier,
  ) {}

  private get store() {
    return this.platform.store;
  }

  @Command(CreateNotificationChannel)
  async createChannel(@Payload() { data, metadata }: CommandPayload<Omit<ChannelData, 'createdAt'>>) {
    await notificationChannels.handle(this.store, data.channelId, { type: 'CreateChannel', data, now: metadata.now }, metadata);
    return { channelId: data.channelId };
  }

  @Command(DeleteNotificationChannel)
  async deleteChannel(@Payload() { data, metadata }: CommandPayload<{ channelId: string }>) {
    await notificationChannels.handle(this.store, data.channelId, { type: 'DeleteChannel', data, now: metadata.now }, metadata);
    return { channelId: data.channelId };
  }

  @Command(TestNotificationChannel)
  async testChannel(@Payload() { data, metadata }: CommandPayload<{ channelId: string }>) {
    const result = await this.notifier.test(data.channelId, metadata);
    if (!result.channel) throw new DomainError('CHANNEL_NOT_FOUND', `No notification channel ${data.channelId}`, 'id');
    return result.ok ? { channelId: data.channelId, ok: true, status: result.status } : { channelId: data.channelId, ok: false, reason: result.reason };
  }

  @Command(CreateAlertRule)
  async createRule(@Payload() { data, metadata }: CommandPayload<Omit<RuleData, 'createdAt'>>) {
    for (const channelId of data.channelIds) {
      const { state } = await notificationChannels.load(this.store, channelId);
      if (state.status !== 'active' || state.channel.projectId !== data.projectId) {
        throw new DomainError('CHANNEL_NOT_FOUND', `No notification channel ${channelId} in this project: create it first`, 'channelIds');
      }
    }
    await this.decide(data.ruleId, { type: 'CreateAlertRule', data, now: metadata.now }, metadata);
    return { ruleId: data.ruleId };
  }

  @Command(DeleteAlertRule)
  async deleteRule(@Payload() { data, metadata }: CommandPayload<{ ruleId: string }>) {
    await this.decide(data.ruleId, { type: 'DeleteAlertRule', data, now: metadata.now }, metadata);
    return { ruleId: data.ruleId };
  }

  @Command(SetSmtpSettings)
  async setSmtp(@Payload() { data, metadata }: CommandPayload<EventData<typeof SmtpSettingsChanged>>) {
    await smtpSettings.handle(this.store, SMTP_SETTINGS_ID, { type: 'SetSmtpSettings', data }, metadata);
    return { host: data.host };
  }

  /** Each firing and resolving goes to the rule's channels (at least once; a recorded delivery is not repeated). */
  @OnEvent({ durable: NOTIFY, context: 'metrics', aggregate: 'alert-rule', types: ['AlertFired', 'AlertResolved'], ackWaitMs: 60_000 })
  async onAlert(@Payload() event: StoredEvent) {
    const { state } = await alertRules.load(this.store, event.stream.id);
    if (state.status === 'none') return;
    const { rule } = state;
    const summary = { id: rule.ruleId, metric: rule.metric, threshold: rule.threshold, forMinutes: rule.forMinutes };
    await this.notifier.notify(event as unknown as Extract<AlertRuleEvent, { type: 'AlertFired' | 'AlertResolved' }>, rule.channelIds, summary, workflowMetadata(NOTIFY, event, 'metrics'));
  }

  /** A production deployment that failed fires the project's deployment-failed rules for its service; the next one that succeeds resolves them. */
  @OnEvent({ durable: DEPLOYMENTS, context: 'deploy', aggregate: 'deployment', types: ['DeploymentFailed', 'DeploymentSucceeded'] })
  async onDeploymentEnded(@Payload() event: StoredEvent) {
    const deploymentId = String(event.data.deploymentId);
    const { events } = await this.store.read({ context: 'deploy', aggregate: 'deployment', id: deploymentId });
    const requested = events.find((e) => e.type === 'DeploymentRequested');
    if (!requested || (requested.data.trigger as { kind?: string } | undefined)?.kind === 'preview') return;
    const serviceId = String(requested.data.serviceId);
    const projectId = String(requested.data.projectId);
    const rules = activeRules(ruleStates(await this.store.readAll({ context: 'metrics', aggregate: 'alert-rule' }))).filter(
      (r) => r.rule.metric === 'deployment-failed' && r.rule.projectId === projectId && (r.rule.serviceId === null || r.rule.serviceId === serviceId),
    );
    for (const [index, { rule }] of rules.entries()) {
      const metadata = workflowMetadata(DEPLOYMENTS, event, 'metrics', index);
      const command: AlertRuleCommand =
        event.type === 'DeploymentFailed'
          ? {
              type: 'FireAlert',
              data: { alertId: `al_${deriveEventId(`${event.id}/${rule.ruleId}`, 0).replace(/-/g, '')}`, subject: serviceId, serviceId, value: 1, message: `Deployment ${deploymentId} failed: ${String(event.data.reason)}`.slice(0, 500) },
              now: metadata.now,
            }
          : { type: 'ResolveAlert', data: { subject: serviceId, serviceId, value: 0, message: `Deployment ${deploymentId} succeeded` }, now: metadata.now };
      await this.decide(rule.ruleId, command, metadata);
    }
  }

  /** A deleted project's rules go with it (their alerts resolve), then its channels. */
  @OnEvent({ durable: PROJECT_DELETED, context: 'project', aggregate: 'project', types: ['ProjectDeleted'] })
  async onProjectDeleted(@Payload() event: StoredEvent) {
    const projectId = String(event.data.projectId);
    const rules = activeRules(ruleStates(await this.store.readAll({ context: 'metrics', aggregate: 'alert-rule' }))).filter((r) => r.rule.projectId === projectId);
    const channels = (await this.store.readAll({ context: 'metrics', aggregate: 'notification-channel' }))
      .filter((e) => e.type === 'NotificationChannelCreated' && e.data.projectId === projectId)
      .map((e) => String(e.data.channelId));
    let index = 0;
    for (const { rule } of rules) {
      const metadata = workflowMetadata(PROJECT_DELETED, event, 'metrics', index++);
      await this.decide(rule.ruleId, { type: 'DeleteAlertRule', data: { ruleId: rule.ruleId }, now: metadata.now }, metadata);
    }
    for (const channelId of channels) {
      const metadata = workflowMetadata(PROJECT_DELETED, event, 'metrics', index++);
      await notificationChannels.handle(this.store, channelId, { type: 'DeleteChannel', data: { channelId }, now: metadata.now }, metadata);
    }
  }

  private decide(ruleId: string, command: AlertRuleCommand, metadata: CommandMetadata) {
    return alertRules.handle(this.store, ruleId, command, metadata);
  }
}
