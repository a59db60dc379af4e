import { assertNever, type Decider, type StreamId } from '@slipway/event-store';
import { DomainError } from '@slipway/messaging';
import type { ApiTokenCreated, ApiTokenRevoked, EventData, SessionEnded, SessionStarted, UserSignedUp } from '@slipway/proto';

/** One stream per user: platform.identity.events.user.<userId>. */
export const accountStream = (userId: string): StreamId => ({ context: 'identity', aggregate: 'user', id: userId });

/** A person's account: signing up, sessions and API tokens, on one stream per user. */
export type AccountCommand =
  | { type: 'SignUp'; data: EventData<typeof UserSignedUp> }
  | { type: 'StartSession'; data: EventData<typeof SessionStarted> }
  | { type: 'EndSession'; data: { userId: string; sessionId: string }; now: string }
  | { type: 'CreateApiToken'; data: EventData<typeof ApiTokenCreated> }
  | { type: 'RevokeApiToken'; data: { userId: string; tokenId: string }; now: string };

export type AccountEvent =
  | { type: 'UserSignedUp'; data: EventData<typeof UserSignedUp> }
  | { type: 'SessionStarted'; data: EventData<typeof SessionStarted> }
  | { type: 'SessionEnded'; data: EventData<typeof SessionEnded> }
  | { type: 'ApiTokenCreated'; data: EventData<typeof ApiTokenCreated> }
  | { type: 'ApiTokenRevoked'; data: EventData<typeof ApiTokenRevoked> };

export type AccountState =
  | { status: 'none' }
  | { status: 'active'; userId: string; sessions: Record<string, string>; tokens: Record<string, string> };

const active = (state: AccountState) => {
  if (state.status === 'none') throw new DomainError('USER_NOT_FOUND', 'No such user', 'userId');
  return state;
};

const decide = (command: AccountCommand, state: AccountState): AccountEvent[] => {
  switch (command.type) {
    case 'SignUp':
      if (state.status === 'active') return []; // the same request again: the email claim stops any other
      return [{ type: 'UserSignedUp', data: command.data }];
    case 'StartSession':
      active(state);
      return [{ type: 'SessionStarted', data: command.data }];
    case 'EndSession': {
      const tokenHash = active(state).sessions[command.data.sessionId];
      if (!tokenHash) return []; // already ended
      return [{ type: 'SessionEnded', data: { ...command.data, tokenHash, endedAt: command.now } }];
    }
    case 'CreateApiToken':
      if (active(state).tokens[command.data.tokenId]) return [];
      return [{ type: 'ApiTokenCreated', data: command.data }];
    case 'RevokeApiToken': {
      const tokenHash = active(state).tokens[command.data.tokenId];
      if (!tokenHash) throw new DomainError('TOKEN_NOT_FOUND', `You have no API token ${command.data.tokenId} (or it is already revoked)`, 'id');
      return [{ type: 'ApiTokenRevoked', data: { ...command.data, tokenHash, revokedAt: command.now } }];
    }
    default:
      return assertNever(command);
  }
};

const without = (record: Record<string, string>, key: string) => Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));

const evolve = (state: AccountState, event: AccountEvent): AccountState => {
  if (event.type === 'UserSignedUp') return { status: 'active', userId: event.data.userId, sessions: {}, tokens: {} };
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'SessionStarted':
      return { ...state, sessions: { ...state.sessions, [event.data.sessionId]: event.data.tokenHash } };
    case 'SessionEnded':
      return { ...state, sessions: without(state.sessions, event.data.sessionId) };
    case 'ApiTokenCreated':
      return { ...state, tokens: { ...state.tokens, [event.data.tokenId]: event.data.tokenHash } };
    case 'ApiTokenRevoked':
      return { ...state, tokens: without(state.tokens, event.data.tokenId) };
    default:
      return state;
  }
};

export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = { decide, evolve, initialState: { status: 'none' } };
