import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface GraphqlResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

/**
 * The owner the tests sign in as. On a fresh instance the first test signs up and so becomes the
 * instance owner; on a machine whose owner is someone else, set these two variables.
 */
export const testOwner = {
  email: process.env.SLIPWAY_TEST_OWNER_EMAIL ?? 'owner@slipway.test',
  password: process.env.SLIPWAY_TEST_OWNER_PASSWORD ?? 'test-owner-password-1',
};

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
    const { signIn } = await this.request<{ signIn: { token: string } }>(
      'mutation($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }',
      { email, password },
    );
    return this.useToken(signIn.token);
  }

  async signUp(email: string, password: string, invitation?: string): Promise<string> {
    const { signUp } = await this.request<{ signUp: { token: string } }>(
      'mutation($email: String!, $password: String!, $invitation: String) { signUp(email: $email, password: $password, invitation: $invitation) { token } }',
      { email, password, invitation },
    );
    return this.useToken(signUp.token);
  }

  /** Signs in as the test owner, signing up first on an instance that has no owner yet. */
  async signInAsOwner(): Promise<string> {
    try {
      return await this.signIn(testOwner.email, testOwner.password);
    } catch (err) {
      if (!/email or the password is wrong/.test(String(err))) throw err;
      try {
        return await this.signUp(testOwner.email, testOwner.password);
      } catch (signUpErr) {
        throw new Error(`Cannot act as the instance owner (${signUpErr}): set SLIPWAY_TEST_OWNER_EMAIL and SLIPWAY_TEST_OWNER_PASSWORD to its credentials`);
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
