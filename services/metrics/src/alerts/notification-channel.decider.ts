import { assertNever, type Decider } from '@slipway/event-store';
import { DomainError } from '@slipway/messaging';
import type { EventData, NotificationChannelCreated, NotificationFailed, NotificationSent, SmtpSettingsChanged } from '@slipway/proto';

export type ChannelData = EventData<typeof NotificationChannelCreated>;
type Sent = EventData<typeof NotificationSent>;
type Failed = EventData<typeof NotificationFailed>;

export type ChannelEvent =
  | { type: 'NotificationChannelCreated'; data: ChannelData }
  | { type: 'NotificationChannelDeleted'; data: { channelId: string; deletedAt: string } }
  | { type: 'NotificationSent'; data: Sent }
  | { type: 'NotificationFailed'; data: Failed };

export type ChannelCommand =
  | { type: 'CreateChannel'; data: Omit<ChannelData, 'createdAt'>; now: string }
  | { type: 'DeleteChannel'; data: { channelId: string }; now: string }
  | { type: 'RecordDelivery'; data: { sent: Omit<Sent, 'sentAt'> } | { failed: Omit<Failed, 'failedAt'> }; now: string };

/** `delivered`: the alert deliveries already recorded (`<alertId>/<outcome>`), so a redelivered alert is not sent twice. */
export type ChannelState = { status: 'none' } | { status: 'active' | 'deleted'; channel: ChannelData; delivered: string[] };

export const deliveryKey = (alertId: string | null, outcome: string) => `${alertId ?? 'test'}/${outcome}`;

export const channelDecider: Decider<ChannelCommand, ChannelEvent, ChannelState> = {
  initialState: { status: 'none' },
  evolve: (state, event) => {
    switch (event.type) {
      case 'NotificationChannelCreated':
        return { status: 'active', channel: event.data, delivered: [] };
      case 'NotificationChannelDeleted':
        return state.status === 'none' ? state : { ...state, status: 'deleted' };
      case 'NotificationSent':
      case 'NotificationFailed':
        if (state.status === 'none' || event.data.alertId === null) return state;
        return { ...state, delivered: [...state.delivered.slice(-199), deliveryKey(event.data.alertId, event.data.outcome)] };
      default:
        return assertNever(event);
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'CreateChannel':
        return state.status === 'none' ? [{ type: 'NotificationChannelCreated', data: { ...command.data, createdAt: command.now } }] : [];
      case 'DeleteChannel':
        if (state.status === 'none') throw new DomainError('CHANNEL_NOT_FOUND', `No notification channel ${command.data.channelId}`, 'id');
        return state.status === 'deleted' ? [] : [{ type: 'NotificationChannelDeleted', data: { channelId: command.data.channelId, deletedAt: command.now } }];
      case 'RecordDelivery':
        if (state.status === 'none') return [];
        return 'sent' in command.data
          ? [{ type: 'NotificationSent', data: { ...command.data.sent, sentAt: command.now } }]
          : [{ type: 'NotificationFailed', data: { ...command.data.failed, failedAt: command.now } }];
      default:
        return assertNever(command);
    }
  },
};

export type SmtpSettings = EventData<typeof SmtpSettingsChanged>;
export type SmtpCommand = { type: 'SetSmtpSettings'; data: SmtpSettings };

/** The instance's SMTP server: the latest setting wins; none until the instance owner sets one. */
export const smtpSettingsDecider: Decider<SmtpCommand, { type: 'SmtpSettingsChanged'; data: SmtpSettings }, SmtpSettings | null> = {
  initialState: null,
  evolve: (_state, event) => event.data,
  decide: (command) => [{ type: 'SmtpSettingsChanged', data: command.data }],
};
