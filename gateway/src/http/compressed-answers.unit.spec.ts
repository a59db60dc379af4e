import type { AddressInfo } from 'node:net';
import { request, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import express from 'express';
import { acceptsGzip, compressedAnswers } from './compressed-answers';

describe('compressed answers', () => {
  const large = JSON.stringify({ data: { projects: Array.from({ length: 400 }, (_, i) => ({ id: `p_${i}`, name: `project-${i}` })) } });
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = express();
    app.use(compressedAnswers);
    app.post('/large', (_req, res) => res.type('application/json').send(large));
    app.post('/small', (_req, res) => res.type('application/json').send('{"data":{"me":null}}'));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  /** Raw bytes and headers: node's fetch would decompress on its own and hide what was sent. */
  const post = (path: string, acceptEncoding?: string) =>
    new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      const req = request(`${base}${path}`, { method: 'POST', headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });

  it('sends a large answer gzipped to a client that accepts gzip, the same bytes each time', async () => {
    const first = await post('/large', 'gzip, deflate, br');
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.headers['vary']).toMatch(/accept-encoding/i);
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    expect(gunzipSync(first.body).toString()).toBe(large);
    expect(first.body.length).toBeLessThan(large.length / 5);
    expect((await post('/large', 'gzip')).body.equals(first.body)).toBe(true);
  });

  it('sends it as it is to a client that does not accept gzip, and small answers always', async () => {
    for (const [path, encoding, body] of [['/large', undefined, large], ['/large', 'gzip;q=0, identity', large], ['/small', 'gzip', '{"data":{"me":null}}']] as const) {
      const res = await post(path, encoding);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.body.toString()).toBe(body);
    }
  });

  it('reads Accept-Encoding as HTTP defines it', () => {
    expect(acceptsGzip('gzip, deflate, br, zstd')).toBe(true); // Chromium
    expect(acceptsGzip('GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('br, deflate')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});
