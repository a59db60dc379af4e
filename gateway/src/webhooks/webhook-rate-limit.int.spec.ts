import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { PlatformConnection } from '@slipway/messaging';
import { infraEnv } from '@slipway/testing';
import { RateLimiter } from '../abuse/rate-limiter';
import { ReadStore } from '../read-store';
import { mountWebhooks } from './webhook-receiver';

/** The webhook endpoint on a real HTTP server, cut off per client address past its limit. */
describe('webhook rate limit', () => {
  let server: Server;
  let base: string;
  const platform = new PlatformConnection('gateway-webhook-rate-test', infraEnv().NATS_URL, 'gateway');
  const readStore = new ReadStore(infraEnv().MONGO_URL);

  beforeAll(async () => {
    await platform.ready;
    const app = express();
    mountWebhooks(app, platform, readStore, new RateLimiter({ limit: 2, windowMs: 60_000 }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await platform.close();
    await readStore.close();
  });

  it('answers 429 with Retry-After and what to do once an address is over the limit', async () => {
    const post = () => fetch(`${base}/webhooks/github`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'not json' });
    expect((await post()).status).toBe(400);
    expect((await post()).status).toBe(400);
    const refused = await post();
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1); // where in the minute the test runs decides how long
    expect(retryAfter).toBeLessThanOrEqual(120);
    expect(await refused.json()).toEqual({
      error: `Too many webhook deliveries from 127.0.0.1: at most 2 a minute. Retry after ${retryAfter} s; redeliver from the git host's webhook settings (Recent Deliveries) once this has passed`,
      retryAfterSeconds: retryAfter,
    });
  });
});
