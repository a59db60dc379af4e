import { ulid } from 'ulid';
import { handleCommand, type EventStore } from '@slipway/event-store';
import { newCommandMetadata, sendCommand } from '@slipway/messaging';
import { AcceptInvitation, email as emailSchema, type Actor } from '@slipway/proto';
import { asGraphqlError, badInput } from '../command-errors';
import type { GatewayContext } from '../gateway-context';
import { awaitView } from '../read-models/await-view';
import { hashPassword, verifyPassword } from '../auth/password-hash';
import type { TokenScope } from '../auth/roles';
import { accountDecider, accountStream, type AccountCommand } from './account.decider';
import { emailClaimDecider, instanceOwnerDecider, instanceOwnerStream } from './claim.decider';
import { emailKey, newSession, newToken, SESSION_DAYS, tokenHash } from './credentials';
import type { CredentialView, InvitationView, UserView } from './identity.projection';

const DAY_MS = 86_400_000;
const userActor = (userId: string): Actor => ({ kind: 'user', id: userId });

export const normaliseEmail = (raw: string): string => {
  const parsed = emailSchema.safeParse(raw.trim().toLowerCase());
  if (!parsed.success) throw badInput(`Email ${parsed.error.issues[0].message}`, 'email');
  return parsed.data;
};

const checkPassword = (password: string) => {
  if (password.length < 10) throw badInput('password must be at least 10 characters', 'password');
  if (password.length > 256) throw badInput('password must be at most 256 characters', 'password');
};

const onAccount = (store: EventStore, userId: string, command: AccountCommand, actor: Actor) =>
  handleCommand({ store, stream: accountStream(userId), decider: accountDecider, command, metadata: newCommandMetadata(actor) }).catch(asGraphqlError);

const collection = async <T>(ctx: GatewayContext, name: string) => (await ctx.readStore.db()).collection<T & { _id: string }>(name);

export const findUserByEmail = async (ctx: GatewayContext, email: string) => (await collection<UserView>(ctx, 'users')).findOne({ email });

/** A pending invitation for this code, or a clear error. */
export const findInvitation = async (ctx: GatewayContext, code: string): Promise<InvitationView> => {
  const invitation = await (await collection<InvitationView>(ctx, 'invitations')).findOne({ codeHash: tokenHash(code) });
  if (!invitation) throw badInput('This invitation code is not valid; ask for a new invitation', 'invitation');
  if (invitation.acceptedBy) throw badInput('This invitation was already used; sign in instead', 'invitation');
  if (invitation.revokedAt) throw badInput('This invitation was withdrawn; ask for a new one', 'invitation');
  if (invitation.expiresAt <= new Date().toISOString()) throw badInput('This invitation has expired; ask for a new one', 'invitation');
  return invitation;
};

/** Starts a session and waits until every gateway can authenticate it. */
const startSession = async (ctx: GatewayContext, user: { id: string; email: string; instanceOwner: boolean }) => {
  const { token, data } = newSession(user.id, new Date(), SESSION_DAYS * DAY_MS);
  await onAccount(ctx.platform.store, user.id, { type: 'StartSession', data }, userActor(user.id));
  await awaitView<CredentialView>(ctx, 'credentials', data.tokenHash);
  return { token, expiresAt: data.expiresAt, user: { id: user.id, email: user.email, instanceOwner: user.instanceOwner } };
};

/**
 * The first sign-up on an empty instance becomes its owner; after that, only with an invitation
 * (whose address must match). Claims come first, so a refused sign-up leaves no account behind.
 */
export const signUp = async (ctx: GatewayContext, args: { email: string; password: string; invitation?: string | null }) => {
  const email = normaliseEmail(args.email);
  checkPassword(args.password);
  const invitation = args.invitation ? await findInvitation(ctx, args.invitation) : undefined;
  if (invitation && invitation.email !== email) throw badInput(`This invitation is for ${invitation.email}; sign up with that address`, 'email');
  const userId = `u_${ulid().toLowerCase()}`;
  const actor = userActor(userId);
  const store = ctx.platform.store;
  const claimMetadata = () => newCommandMetadata(actor);
  if (!invitation) {
    await handleCommand({ store, stream: instanceOwnerStream, decider: instanceOwnerDecider, command: { type: 'Claim', data: { userId } }, metadata: claimMetadata() }).catch(asGraphqlError);
  }
  const emailStream = { context: 'identity', aggregate: 'user-email', id: emailKey(email) } as const;
  await handleCommand({ store, stream: emailStream, decider: emailClaimDecider, command: { type: 'Claim', data: { userId, email } }, metadata: claimMetadata() }).catch(
    asGraphqlError,
  );
  const passwordHash = await hashPassword(args.password);
  await onAccount(store, userId, { type: 'SignUp', data: { userId, email, passwordHash, instanceOwner: !invitation, signedUpAt: new Date().toISOString() } }, actor);
  if (invitation) {
    await sendCommand(
      ctx.platform.connection,
      AcceptInvitation,
      { projectId: invitation.projectId, invitationId: invitation.id, userId, email },
      newCommandMetadata(actor),
    ).catch(asGraphqlError);
    await awaitView(ctx, 'members', `${invitation.projectId}:${userId}`);
  }
  await awaitView<UserView>(ctx, 'users', userId);
  return startSession(ctx, { id: userId, email, instanceOwner: !invitation });
};

/** A wrong email and a wrong password get the same answer, after the same work. */
export const signIn = async (ctx: GatewayContext, args: { email: string; password: string }) => {
  const user = await findUserByEmail(ctx, args.email.trim().toLowerCase());
  const valid = await verifyPassword(args.password, user?.passwordHash ?? DECOY_HASH);
  if (!user || !valid) throw badInput('The email or the password is wrong', 'password');
  return startSession(ctx, user);
};

/** Same cost as a real hash, so an unknown email takes as long as a wrong password. */
const DECOY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** Sign-out and revocation answer only once no gateway accepts the credential any more. */
const awaitRevoked = (ctx: GatewayContext, credentialId: string) => awaitView<CredentialView>(ctx, 'credentials', { id: credentialId }, (c) => Boolean(c.revokedAt));

export const endSession = async (ctx: GatewayContext, userId: string, sessionId: string) => {
  await onAccount(ctx.platform.store, userId, { type: 'EndSession', data: { userId, sessionId }, now: new Date().toISOString() }, userActor(userId));
  await awaitRevoked(ctx, sessionId);
};

export const createApiToken = async (ctx: GatewayContext, userId: string, args: { name: string; scopes: TokenScope[]; expiresAt?: string | null }) => {
  const name = args.name.trim();
  if (!name || name.length > 100) throw badInput('name must be 1 to 100 characters', 'name');
  if (!args.scopes.length) throw badInput('scopes must name at least one of read, deploy, admin', 'scopes');
  const now = new Date();
  const expiresAt = args.expiresAt ? new Date(args.expiresAt) : new Date(now.getTime() + 90 * DAY_MS);
  if (Number.isNaN(expiresAt.getTime())) throw badInput('expiresAt must be an ISO date such as 2027-01-31T00:00:00Z', 'expiresAt');
  if (expiresAt <= now) throw badInput('expiresAt must be in the future', 'expiresAt');
  if (expiresAt.getTime() > now.getTime() + 366 * DAY_MS) throw badInput('expiresAt must be within a year', 'expiresAt');
  const token = newToken('api-token');
  const data = {
    userId,
    tokenId: `tok_${ulid().toLowerCase()}`,
    name,
    scopes: [...new Set(args.scopes)],
    tokenHash: tokenHash(token),
    createdAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
  };
  await onAccount(ctx.platform.store, userId, { type: 'CreateApiToken', data }, userActor(userId));
  const view = await awaitView<CredentialView>(ctx, 'credentials', data.tokenHash);
  return { token, apiToken: view ?? { ...data, id: data.tokenId, revokedAt: null } };
};

export const revokeApiToken = async (ctx: GatewayContext, userId: string, tokenId: string) => {
  await onAccount(ctx.platform.store, userId, { type: 'RevokeApiToken', data: { userId, tokenId }, now: new Date().toISOString() }, userActor(userId));
  await awaitRevoked(ctx, tokenId);
  return true;
};
