import { aggregate, type Decider } from '@slipway/event-store';
import type { DefaultQuotaSet, EventData, QuotaLimits } from '@slipway/proto';
import { quotaDecider } from './quota.decider';

/** A project's quota bound to its stream: platform.quota.events.project-quota.<projectId>. */
export const projectQuotas = aggregate({
  decider: quotaDecider,
  stream: (projectId) => ({ context: 'quota', aggregate: 'project-quota', id: projectId }),
});

type DefaultCommand = { type: 'SetDefaultQuota'; data: { limits: QuotaLimits }; now: string };
type DefaultEvent = { type: 'DefaultQuotaSet'; data: EventData<typeof DefaultQuotaSet> };

/** The instance's default limits (none until the owner sets them); the same again records nothing. */
const defaultQuotaDecider: Decider<DefaultCommand, DefaultEvent, { limits: QuotaLimits }> = {
  initialState: { limits: {} },
  evolve: (_state, event) => ({ limits: event.data.limits }),
  decide: (command, state) =>
    JSON.stringify(state.limits) === JSON.stringify(command.data.limits) ? [] : [{ type: 'DefaultQuotaSet', data: { limits: command.data.limits, setAt: command.now } }],
};

/** Bound to its one stream: platform.quota.events.instance-quota.default. */
export const defaultQuota = aggregate({
  decider: defaultQuotaDecider,
  stream: () => ({ context: 'quota', aggregate: 'instance-quota', id: 'default' }),
});
