import type { StoredEvent } from '@slipway/event-store';
import type { AlertFired, AlertResolved, AlertRuleCreated, EventData, NotificationChannelCreated, NotificationFailed, NotificationSent, SmtpSettingsChanged } from '@slipway/proto';
import type { Projection } from '../read-models/projection';

const inMetrics = (aggregate: string) => [{ context: 'metrics' as const, aggregate }];

/** A channel as people see it: never its URL or secret (they stay sealed in the metrics service's events). */
export interface NotificationChannelView {
  id: string;
  projectId: string;
  kind: 'webhook' | 'slack' | 'email';
  label: string;
  email: string | null;
  createdAt: string;
  deletedAt: string | null;
  lastDelivery: { outcome: string; ok: boolean; status: number | null; reason: string | null; at: string } | null;
}

export const notificationChannelsProjection: Projection<NotificationChannelView> = {
  name: 'notification-channels-view',
  collection: 'notification_channels',
  sources: inMetrics('notification-channel'),
  types: ['NotificationChannelCreated', 'NotificationChannelDeleted', 'NotificationSent', 'NotificationFailed'],
  documentId: (e: StoredEvent) => String(e.data.channelId),
  evolve: (view, e) => {
    if (e.type === 'NotificationChannelCreated') {
      const d = e.data as EventData<typeof NotificationChannelCreated>;
      return { id: d.channelId, projectId: d.projectId, kind: d.kind, label: d.label, email: d.email, createdAt: d.createdAt, deletedAt: null, lastDelivery: null };
    }
    if (!view) return null;
    if (e.type === 'NotificationChannelDeleted') return { ...view, deletedAt: String(e.data.deletedAt) };
    if (e.type === 'NotificationSent') {
      const d = e.data as EventData<typeof NotificationSent>;
      return { ...view, lastDelivery: { outcome: d.outcome, ok: true, status: d.status, reason: null, at: d.sentAt } };
    }
    const d = e.data as EventData<typeof NotificationFailed>;
    return { ...view, lastDelivery: { outcome: d.outcome, ok: false, status: null, reason: d.reason, at: d.failedAt } };
  },
};

export type AlertRuleView = Omit<EventData<typeof AlertRuleCreated>, 'ruleId'> & { id: string; deletedAt: string | null };

export const alertRulesProjection: Projection<AlertRuleView> = {
  name: 'alert-rules-view',
  collection: 'alert_rules',
  sources: inMetrics('alert-rule'),
  types: ['AlertRuleCreated', 'AlertRuleDeleted'],
  documentId: (e: StoredEvent) => String(e.data.ruleId),
  evolve: (view, e) => {
    if (e.type === 'AlertRuleCreated') {
      const { ruleId, ...rule } = e.data as EventData<typeof AlertRuleCreated>;
      return { id: ruleId, ...rule, deletedAt: null };
    }
    return view && { ...view, deletedAt: String(e.data.deletedAt) };
  },
};

/** One alert, from its firing to its resolving (document id: the alert id). */
export interface AlertView {
  id: string;
  ruleId: string;
  projectId: string;
  metric: string;
  serviceId: string | null;
  subject: string;
  status: 'FIRING' | 'RESOLVED';
  value: number | null;
  threshold: number;
  message: string;
  firedAt: string;
  resolvedAt: string | null;
  resolvedMessage: string | null;
}

export const alertsProjection: Projection<AlertView> = {
  name: 'alerts-view',
  collection: 'alerts',
  sources: inMetrics('alert-rule'),
  types: ['AlertFired', 'AlertResolved'],
  documentId: (e: StoredEvent) => String(e.data.alertId),
  evolve: (view, e) => {
    if (e.type === 'AlertFired') {
      const d = e.data as EventData<typeof AlertFired>;
      return { id: d.alertId, ruleId: d.ruleId, projectId: d.projectId, metric: d.metric, serviceId: d.serviceId, subject: d.subject, status: 'FIRING', value: d.value, threshold: d.threshold, message: d.message, firedAt: d.firedAt, resolvedAt: null, resolvedMessage: null };
    }
    const d = e.data as EventData<typeof AlertResolved>;
    return view && { ...view, status: 'RESOLVED', value: d.value ?? view.value, resolvedAt: d.resolvedAt, resolvedMessage: d.message };
  },
};

export interface SmtpSettingsView {
  id: string;
  host: string;
  port: number;
  security: 'none' | 'starttls' | 'tls';
  from: string;
  username: string | null;
  passwordSet: boolean;
}

export const smtpSettingsProjection: Projection<SmtpSettingsView> = {
  name: 'smtp-settings-view',
  collection: 'smtp_settings',
  sources: inMetrics('smtp-settings'),
  types: ['SmtpSettingsChanged'],
  documentId: () => 'global',
  evolve: (_, e) => {
    const d = e.data as EventData<typeof SmtpSettingsChanged>;
    return { id: 'global', host: d.host, port: d.port, security: d.security, from: d.from, username: d.username, passwordSet: d.password !== null };
  },
};
