import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { infraEnv } from '../infra-env';
import { hostOwnerSession, type PlatformAddresses } from './owner-session.fixture';

// The package index exports this file only: what the tests need from these, through it.
export * from './owner-session.fixture';
export * from './scratch-platform.fixture';

export interface GraphqlResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

/**
 * The tests' own account. On an empty instance the first test signs it up, and so it becomes the
 * instance owner; where somebody else owns the instance, signInAsOwner() acts as the owner through
 * a session issued from the host instead. SLIPWAY_TEST_OWNER_EMAIL and _PASSWORD, when set, name
 * the owner's account to sign in with.
 */
export const testOwner = {
  email: process.env.SLIPWAY_TEST_OWNER_EMAIL ?? 'owner@slipway.test',
  password: process.env.SLIPWAY_TEST_OWNER_PASSWORD ?? 'test-owner-password-1',
};
const ownerFromEnv = Boolean(process.env.SLIPWAY_TEST_OWNER_EMAIL);

/** Platforms (by NATS address) that somebody else owns: found once, then the host's session at once (sign-ups are rate limited). */
const ownedBySomeoneElse = new Set<string>();

const SIGN_IN = 'mutation($email: String!, $password: String!) { signIn(email: $email, password: $password) { token user { instanceOwner } } }';
const SIGN_UP = 'mutation($email: String!, $password: String!, $invitation: String) { signUp(email: $email, password: $password, invitation: $invitation) { token } }';

/** A GraphQL client for end-to-end tests: HTTP for queries and mutations, graphql-ws for subscriptions. */
export class GraphqlTestClient {
  private ws?: Client;
  /** Sent as `Authorization: Bearer` and in graphql-ws connection_init. */
  token?: string;

  constructor(readonly port: number) {}

  /** The whole response, errors included. */
  async execute<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<GraphqlResponse<T>> {
    const res = await fetch(`http://127.0.0.1:${this.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphqlResponse<T>;
  }

  async request<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const body = await this.execute<T>(query, variables);
    if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
    return body.data as T;
  }

  async signIn(email: string, password: string): Promise<string> {
    const { signIn } = await this.request<{ signIn: { token: string } }>(SIGN_IN, { email, password });
    return this.useToken(signIn.token);
  }

  async signUp(email: string, password: string, invitation?: string): Promise<string> {
    const { signUp } = await this.request<{ signUp: { token: string } }>(SIGN_UP, { email, password, invitation });
    return this.useToken(signUp.token);
  }

  /**
   * Acts as the instance owner of the platform behind this client (the shared one unless told):
   * as the tests' own account when it owns the instance or can claim it by signing up first;
   * else with a short session the host's break-glass issues, leaving the real owner's password
   * and sessions alone. Each call starts a new session.
   */
  async signInAsOwner(platform: PlatformAddresses = infraEnv()): Promise<string> {
    if (ownerFromEnv) return this.signInAsNamedOwner();
    if (!ownedBySomeoneElse.has(platform.NATS_URL)) {
      const token = await this.signInAsTestOwner();
      if (token) return token;
      ownedBySomeoneElse.add(platform.NATS_URL);
    }
    const token = this.useToken(await hostOwnerSession(platform));
    const { me } = await this.request<{ me: { instanceOwner: boolean } }>('{ me { instanceOwner } }');
    if (!me.instanceOwner) throw new Error("The host's owner session does not act as the instance owner");
    return token;
  }

  /** The tests' account as owner, signing it up on an instance without one; undefined when somebody else owns the instance. */
  private async signInAsTestOwner(): Promise<string | undefined> {
    const signIn = await this.execute<{ signIn: { token: string; user: { instanceOwner: boolean } } }>(SIGN_IN, testOwner);
    if (signIn.data?.signIn) return signIn.data.signIn.user.instanceOwner ? this.useToken(signIn.data.signIn.token) : undefined;
    if (!/email or the password is wrong/.test(JSON.stringify(signIn.errors))) throw new Error(`Cannot sign in as ${testOwner.email}: ${JSON.stringify(signIn.errors)}`);
    const signUp = await this.execute<{ signUp: { token: string } }>(SIGN_UP, testOwner);
    if (signUp.data?.signUp) return this.useToken(signUp.data.signUp.token);
    const code = signUp.errors?.[0]?.extensions?.code;
    // Somebody else owns the instance (or took this address): act as the owner through the host.
    if (code === 'SIGN_UP_BY_INVITATION' || code === 'EMAIL_TAKEN') return undefined;
    throw new Error(`Cannot sign up ${testOwner.email}: ${JSON.stringify(signUp.errors)}`);
  }

  /** The owner's account named by SLIPWAY_TEST_OWNER_EMAIL and _PASSWORD. */
  private async signInAsNamedOwner(): Promise<string> {
    try {
      return await this.signIn(testOwner.email, testOwner.password);
    } catch (err) {
      if (!/email or the password is wrong/.test(String(err))) throw err;
      try {
        return await this.signUp(testOwner.email, testOwner.password);
      } catch (signUpErr) {
        throw new Error(`Cannot act as the instance owner (${signUpErr}): SLIPWAY_TEST_OWNER_EMAIL and _PASSWORD must be its account, or unset them to use a session issued from the host`);
      }
    }
  }

  private useToken(token: string): string {
    this.token = token;
    void this.ws?.dispose();
    this.ws = undefined;
    return token;
  }

  /** Streams a subscription's payloads to `onNext`; errors go to `onError` (thrown when absent). Returns the unsubscribe. */
  subscribe<T>(query: string, variables: Record<string, unknown>, onNext: (value: T) => void, onError?: (err: unknown) => void): () => void {
    this.ws ??= createClient({
      url: `ws://127.0.0.1:${this.port}/graphql`,
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      connectionParams: this.token ? { authorization: `Bearer ${this.token}` } : {},
    });
    return this.ws.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          if (result.data) onNext(result.data as T);
          else if (result.errors?.length) (onError ?? ((e) => { throw e; }))(result.errors);
        },
        error: (err) => {
          if (onError) return onError(err);
          throw err instanceof Error ? err : new Error(JSON.stringify(err));
        },
        complete: () => undefined,
      },
    );
  }

  async close(): Promise<void> {
    await this.ws?.dispose();
  }
}
