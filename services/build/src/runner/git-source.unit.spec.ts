import { BuildError } from './build-error';
import {
  cacheKeyOf,
  cachedRefName,
  classifyFetchFailure,
  deployKeySshCommand,
  isFullCommitSha,
  localPathOf,
  redact,
  redactUrl,
  tokenGitConfig,
  transportOf,
  validateCacheScope,
  validateRef,
} from './git-source';

describe('git sources', () => {
  it('knows the transports git may use, and refuses helpers and option-looking URLs', () => {
    expect(transportOf('https://github.com/acme/shop.git')).toBe('http');
    expect(transportOf('ssh://git@github.com/acme/shop.git')).toBe('ssh');
    expect(transportOf('git@github.com:acme/shop.git')).toBe('ssh');
    expect(transportOf('git://example.org/shop.git')).toBe('git');
    expect(transportOf('file:///srv/git/shop')).toBe('local');
    expect(transportOf('/srv/git/shop')).toBe('local');
    for (const url of ['ext::sh -c touch% /tmp/pwned', '--upload-pack=touch /tmp/x', 'relative/path', 'https://a\nb']) {
      expect(() => transportOf(url)).toThrow(BuildError);
    }
  });

  it('accepts branches, tags and commit shas as refs, and refuses refspec syntax', () => {
    for (const ref of ['main', 'feature/login', 'v1.2.3', 'release-2024.1', 'a'.repeat(40)]) expect(validateRef(ref)).toBe(ref);
    for (const ref of ['', '-x', 'main:refs/heads/evil', 'a..b', 'HEAD^', 'x~1', 'a b', 'refs/*', 'x.lock', '@{-1}', 'back\\slash']) {
      expect(() => validateRef(ref)).toThrow(`Invalid git ref "${ref}"`);
    }
    expect(isFullCommitSha('a'.repeat(40))).toBe(true);
    expect(isFullCommitSha('abc1234')).toBe(false);
  });

  it('never shows credentials: not in URLs, not the token, not its basic-auth form', () => {
    expect(redactUrl('https://bob:ghp_secret@github.com/acme/shop.git')).toBe('https://***@github.com/acme/shop.git');
    const { env, secrets } = tokenGitConfig('https://github.com/acme/shop.git', 'ghp_secret123');
    expect(env).toEqual({
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.https://github.com/.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from('x-access-token:ghp_secret123').toString('base64')}`,
    });
    const leaky = `fatal: unable to access 'https://u:p@github.com/': header ${env.GIT_CONFIG_VALUE_0} token ghp_secret123`;
    const clean = redact(leaky, secrets);
    expect(clean).not.toMatch(/ghp_secret123|u:p@/);
    expect(clean).not.toContain(secrets[1]);
  });

  it('only sends a token over https and only a deploy key over ssh', () => {
    expect(() => tokenGitConfig('git@github.com:acme/shop.git', 't')).toThrow('A git token needs an https:// repository URL');
    expect(() => tokenGitConfig('http://git.example/acme/shop.git', 't')).toThrow('A git token needs an https:// repository URL');
    expect(tokenGitConfig('http://127.0.0.1:8080/acme/shop.git', 't').env.GIT_CONFIG_KEY_0).toBe('http.http://127.0.0.1:8080/.extraHeader');
    expect(deployKeySshCommand('/tmp/k/id', '/data/known_hosts')).toBe(
      "ssh -i '/tmp/k/id' -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile='/data/known_hosts'",
    );
  });

  it('keeps one cache per repository, whatever credentials or suffix its URL carries', () => {
    expect(cacheKeyOf('https://u:p@github.com/acme/shop.git')).toBe(cacheKeyOf('https://github.com/acme/shop'));
    expect(cacheKeyOf('https://github.com/acme/shop')).not.toBe(cacheKeyOf('https://github.com/acme/other'));
    expect(cachedRefName('main')).toMatch(/^refs\/slipway\/[0-9a-f]{24}$/);
  });

  it('tells a missing ref from missing access and an unreachable host', () => {
    expect(classifyFetchFailure("fatal: couldn't find remote ref nosuch")).toBe('ref-not-found');
    expect(classifyFetchFailure('fatal: remote error: upload-pack: not our ref 0123')).toBe('ref-not-found');
    expect(classifyFetchFailure("fatal: could not read Username for 'https://github.com': terminal prompts disabled")).toBe('access-denied');
    expect(classifyFetchFailure('git@github.com: Permission denied (publickey).')).toBe('access-denied');
    expect(classifyFetchFailure("fatal: '/nope' does not appear to be a git repository")).toBe('not-a-repository');
    expect(classifyFetchFailure('fatal: unable to access: Could not resolve host: git.example')).toBe('unreachable');
    expect(classifyFetchFailure("fatal: Unable to create '/x/shallow.lock': File exists.")).toBe('other');
  });

  it('security: reads a local source\u2019s path as git does, and scopes caches by project name only', () => {
    expect(localPathOf('/srv/git/shop')).toBe('/srv/git/shop');
    expect(localPathOf('file:///var/lib/%73lipway/build')).toBe('/var/lib/slipway/build');
    expect(localPathOf('FILE://localhost/var/lib/slipway')).toBe('/var/lib/slipway');
    expect(localPathOf('https://github.com/acme/shop.git')).toBeUndefined();
    expect(validateCacheScope('shop')).toBe('shop');
    for (const scope of ['', '..', '../shop', 'a/b', 'Shop']) expect(() => validateCacheScope(scope)).toThrow(BuildError);
  });
});
