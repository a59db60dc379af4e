import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A GraphQL client for end-to-end tests: HTTP for queries and mutations, graphql-ws for subscriptions. */
export class GraphqlTestClient {
  private ws?: Client;

  constructor(private readonly port: number) {}

  async request<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(`http://127.0.0.1:${this.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
    return body.data as T;
  }

  /** Collects a subscription's payloads until `until` says stop (or the timeout passes). */
  subscribe<T>(query: string, variables: Record<string, unknown>, onNext: (value: T) => void): () => void {
    this.ws ??= createClient({ url: `ws://127.0.0.1:${this.port}/graphql`, webSocketImpl: WebSocket, lazy: true });
    return this.ws.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          if (result.data) onNext(result.data as T);
        },
        error: (err) => {
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
