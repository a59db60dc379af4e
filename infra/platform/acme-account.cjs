// Registers one ACME account and stores it where Caddy (certmagic) keeps its default account, so
// that Caddy, restarted with many hostnames and no account, does not register one per hostname at
// once. It did (13 registrations in one second after a Pebble restart), and the key of one
// registration was saved beside the account URL of another: every later order failed with
// "JWS verification error: error in cryptographic primitive" and no certificate came.
//   node acme-account.cjs <ACME directory URL> <CA file for its TLS> <certmagic user dir>
// writes <user dir>/default.key (EC P-256, SEC1 PEM) and <user dir>/default.json. Plain Node.
const crypto = require('node:crypto');
const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');

const [directoryUrl, caFile, userDir] = process.argv.slice(2);
if (!directoryUrl || !caFile || !userDir) {
  console.error('usage: acme-account.cjs <ACME directory URL> <CA file> <certmagic user dir>');
  process.exit(2);
}
const ca = fs.readFileSync(caFile);

const request = (method, url, body) =>
  new Promise((resolve, reject) => {
    const req = https.request(url, { method, ca, timeout: 10_000, headers: body ? { 'content-type': 'application/jose+json' } : {} }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });

const b64 = (data) => Buffer.from(data).toString('base64url');

const main = async () => {
  const directory = JSON.parse((await request('GET', directoryUrl)).text);
  const nonce = (await request('HEAD', directory.newNonce)).headers['replay-nonce'];
  if (!nonce) throw new Error('the ACME server gave no nonce');
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  const header = b64(JSON.stringify({ alg: 'ES256', jwk: { crv, kty, x, y }, nonce, url: directory.newAccount }));
  const payload = b64(JSON.stringify({ termsOfServiceAgreed: true }));
  const signature = crypto.sign('sha256', Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const res = await request('POST', directory.newAccount, JSON.stringify({ protected: header, payload, signature: b64(signature) }));
  if (res.status !== 201 && res.status !== 200) throw new Error(`the ACME server refused the account: ${res.status} ${res.text}`);
  const account = JSON.parse(res.text);
  fs.mkdirSync(userDir, { recursive: true, mode: 0o700 });
  const write = (name, content) => {
    const file = path.join(userDir, name);
    fs.writeFileSync(`${file}.tmp`, content, { mode: 0o600 });
    fs.renameSync(`${file}.tmp`, file);
  };
  write('default.key', privateKey.export({ type: 'sec1', format: 'pem' }));
  write('default.json', JSON.stringify({ status: account.status ?? 'valid', termsOfServiceAgreed: true, orders: account.orders ?? '', location: res.headers.location }, null, '\t'));
  console.log(`registered ACME account ${res.headers.location}`);
};

main().catch((err) => {
  console.error(`acme-account: ${err.message}`);
  process.exit(1);
});
