import { createHmac, timingSafeEqual } from 'node:crypto';

/** Equal strings in constant time (a length mismatch is answered at once: lengths are not secret). */
const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
};

const hmacSha256Hex = (secret: string, body: Buffer | string) => createHmac('sha256', secret).update(body).digest('hex');

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`. */
export const verifyGithubSignature = (secret: string, rawBody: Buffer | string, header: string | undefined): boolean =>
  typeof header === 'string' && sameSecret(header, `sha256=${hmacSha256Hex(secret, rawBody)}`);

/** GitLab: `X-Gitlab-Token` is the secret itself. */
export const verifyGitlabToken = (secret: string, header: string | undefined): boolean => typeof header === 'string' && sameSecret(header, secret);

/** Gitea and Forgejo: `X-Gitea-Signature` / `X-Forgejo-Signature`: the hex HMAC-SHA256 of the raw body, no prefix. */
export const verifyGiteaSignature = (secret: string, rawBody: Buffer | string, header: string | undefined): boolean =>
  typeof header === 'string' && sameSecret(header.toLowerCase(), hmacSha256Hex(secret, rawBody));
