import { demuxDockerLog, lastIssuanceError } from './caddy-issuance-log.adapter';

const frame = (text: string, stream = 2) => {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header.writeUInt8(stream, 0);
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};

describe('what Caddy logged about a certificate', () => {
  const jws = 'HTTP 400 urn:ietf:params:acme:error:malformed - JWS verification error';
  const log = [
    JSON.stringify({ level: 'info', logger: 'tls.obtain', msg: 'acquiring lock', identifier: 'shop.example.com' }),
    JSON.stringify({ level: 'error', logger: 'tls.obtain', msg: 'could not get certificate from issuer', identifier: 'shop.example.com', error: 'timeout' }),
    'not json shop.example.com',
    JSON.stringify({ level: 'error', logger: 'tls.obtain', msg: 'will retry', identifier: 'shop.example.com', error: jws }),
    JSON.stringify({ level: 'error', logger: 'tls.obtain', msg: 'will retry', identifier: 'other.example.com', error: 'other' }),
    JSON.stringify({ level: 'error', logger: 'http.log.error', msg: 'dial tcp', request: { host: 'shop.example.com' } }),
  ].join('\n');

  it('takes the newest TLS error for that very hostname', () => {
    expect(lastIssuanceError(log, 'shop.example.com')).toBe(jws);
    expect(lastIssuanceError(log, 'other.example.com')).toBe('other');
    expect(lastIssuanceError(log, 'web-shop.localhost')).toBeUndefined();
  });

  it('reads Docker\u2019s multiplexed log frames', () => {
    expect(demuxDockerLog(Buffer.concat([frame('{"a":1}\n', 1), frame('{"b":2}\n')]))).toBe('{"a":1}\n{"b":2}\n');
  });
});
