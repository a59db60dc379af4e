import { createHmac } from 'node:crypto';
import { verifyGiteaSignature, verifyGithubSignature, verifyGitlabToken } from './webhook-signatures';

describe('webhook signatures', () => {
  it("passes GitHub's documented test vector", () => {
    // docs.github.com, "Validating webhook deliveries": this secret and payload give this signature.
    const header = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(verifyGithubSignature("It's a Secret to Everybody", 'Hello, World!', header)).toBe(true);
    expect(verifyGithubSignature("It's a Secret to Everybody", 'Hello, World?', header)).toBe(false);
    expect(verifyGithubSignature('another secret', 'Hello, World!', header)).toBe(false);
    expect(verifyGithubSignature("It's a Secret to Everybody", 'Hello, World!', undefined)).toBe(false);
    expect(verifyGithubSignature("It's a Secret to Everybody", 'Hello, World!', header.slice(7))).toBe(false);
  });

  it('checks a GitLab token as the secret itself', () => {
    expect(verifyGitlabToken('s3cret', 's3cret')).toBe(true);
    expect(verifyGitlabToken('s3cret', 's3creT')).toBe(false);
    expect(verifyGitlabToken('s3cret', undefined)).toBe(false);
  });

  it('checks a Gitea or Forgejo signature (hex HMAC, no prefix)', () => {
    const body = JSON.stringify({ ref: 'refs/heads/main' });
    const signature = createHmac('sha256', 'gitea-secret').update(body).digest('hex');
    expect(verifyGiteaSignature('gitea-secret', body, signature)).toBe(true);
    expect(verifyGiteaSignature('gitea-secret', body, signature.toUpperCase())).toBe(true);
    expect(verifyGiteaSignature('gitea-secret', `${body} `, signature)).toBe(false);
  });
});
