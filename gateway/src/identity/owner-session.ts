import { aggregate, handleCommand, type EventStore } from '@slipway/event-store';
import { newCommandMetadata } from '@slipway/messaging';
import type { Actor } from '@slipway/proto';
import type { Db } from 'mongodb';
import { accountDecider, accountStream } from './account.decider';
import { instanceOwnerDecider, instanceOwnerStream } from './claim.decider';
import { newSession } from './credentials';

/**
 * The break-glass: someone with root on the host (who can read the event store anyway) gets a
 * short session as the instance owner, without the owner's password and without touching it or
 * the owner's own sessions. Like every change it is an event, so the audit log shows it, by this actor.
 */
export const HOST_ADMIN: Actor = { kind: 'service', id: 'host-admin' };

/** Short: long enough to repair something or run the tests, not a standing second login. */
export const OWNER_SESSION_MINUTES = 60;

/** Why no session could be issued, in words for the person at the host's shell. */
export class OwnerSessionRefused extends Error {
  constructor(
    message: string,
    readonly code: 'NO_OWNER' | 'NO_OWNER_ACCOUNT',
  ) {
    super(message);
    this.name = 'OwnerSessionRefused';
  }
}

export interface OwnerSession {
  token: string;
  userId: string;
  email: string;
  sessionId: string;
  tokenHash: string;
  expiresAt: string;
}

const instanceOwnership = aggregate({ decider: instanceOwnerDecider, stream: () => instanceOwnerStream });

/** Appends a SessionStarted for the instance owner, decided by the same account decider as a sign-in. */
export const issueOwnerSession = async (store: EventStore, now = new Date()): Promise<OwnerSession> => {
  const { state } = await instanceOwnership.load(store, instanceOwnerStream.id);
  if (!state.userId) {
    throw new OwnerSessionRefused(
      'This Slipway has no owner yet: nobody has signed up. Open the console and sign up: the first account becomes the instance owner.',
      'NO_OWNER',
    );
  }
  const userId = state.userId;
  const signedUp = (await store.read(accountStream(userId))).events.find((e) => e.type === 'UserSignedUp');
  if (!signedUp) {
    throw new OwnerSessionRefused(
      `The instance owner ${userId} has no account: its sign-up stopped after claiming the instance, so there is nobody to sign in as.`,
      'NO_OWNER_ACCOUNT',
    );
  }
  const { token, data } = newSession(userId, now, OWNER_SESSION_MINUTES * 60_000);
  await handleCommand({ store, stream: accountStream(userId), decider: accountDecider, command: { type: 'StartSession', data }, metadata: newCommandMetadata(HOST_ADMIN) });
  return { token, userId, email: String(signedUp.data.email), sessionId: data.sessionId, tokenHash: data.tokenHash, expiresAt: data.expiresAt };
};

/**
 * The token signs in once a gateway has projected its credential (every gateway then finds it by
 * hash). False when none did in time: the session is recorded and works as soon as a gateway runs.
 */
export const awaitCredential = async (db: Db, tokenHash: string, timeoutMs: number): Promise<boolean> => {
  const credentials = db.collection<{ _id: string }>('credentials');
  const until = Date.now() + timeoutMs;
  for (let pause = 20; ; pause = Math.min(pause * 1.5, 250)) {
    if (await credentials.findOne({ _id: tokenHash })) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, pause));
  }
};
