import type { Decider, StreamId } from '@slipway/event-store';
import { DomainError } from '@slipway/messaging';

type Claim<T extends string, D extends { userId: string }> = { type: T; data: D };

/**
 * First claim wins, forever: one stream per claimed thing (the instance's ownership, an email
 * address), so two concurrent sign-ups cannot both get it.
 */
export const claimDecider = <T extends string, D extends { userId: string }>(
  eventType: T,
  taken: (data: D) => DomainError,
): Decider<Claim<'Claim', D>, Claim<T, D>, { userId?: string }> => ({
  initialState: {},
  evolve: (_state, event) => ({ userId: event.data.userId }),
  decide: (command, state) => {
    if (state.userId === command.data.userId) return [];
    if (state.userId) throw taken(command.data);
    return [{ type: eventType, data: command.data }];
  },
});

/** The instance's ownership: one stream for the whole instance. */
export const instanceOwnerStream: StreamId = { context: 'identity', aggregate: 'instance', id: 'owner' };

export const instanceOwnerDecider = claimDecider('InstanceOwnerClaimed', () =>
  new DomainError('SIGN_UP_BY_INVITATION', 'This Slipway already has an owner: sign-up is by invitation; ask a project owner or admin to invite you', 'email'),
);

export const emailClaimDecider = claimDecider('UserEmailClaimed', (data: { email: string; userId: string }) =>
  new DomainError('EMAIL_TAKEN', `An account for ${data.email} already exists: sign in instead`, 'email'),
);
