import { aggregate } from '@slipway/event-store';
import { alertRuleDecider } from './alert-rule.decider';
import { channelDecider, smtpSettingsDecider } from './notification-channel.decider';

/** platform.metrics.events.alert-rule.<ruleId>: the rule, and each alert it fires and resolves. */
export const alertRules = aggregate({ decider: alertRuleDecider, stream: (ruleId) => ({ context: 'metrics', aggregate: 'alert-rule', id: ruleId }) });

/** platform.metrics.events.notification-channel.<channelId>: the channel and each delivery's outcome. */
export const notificationChannels = aggregate({ decider: channelDecider, stream: (channelId) => ({ context: 'metrics', aggregate: 'notification-channel', id: channelId }) });

export const SMTP_SETTINGS_ID = 'global';
/** platform.metrics.events.smtp-settings.global. */
export const smtpSettings = aggregate({ decider: smtpSettingsDecider, stream: (id) => ({ context: 'metrics', aggregate: 'smtp-settings', id }) });
