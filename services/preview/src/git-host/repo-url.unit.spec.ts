import { apiBaseFor } from './git-host.factory';
import { GitHostError, previewMarker, withMarker } from './git-host.client';
import { nextLink } from './marked-comment';
import { gitlabProjectId, parseRepoUrl } from './repo-url';

describe('the repository a clone URL names', () => {
  it('reads GitHub owner/name, with or without .git and a trailing slash, and its API', () => {
    for (const url of ['https://github.com/acme/shop', 'https://github.com/acme/shop.git', 'https://github.com/acme/shop/', 'https://github.com/acme/shop.git/']) {
      expect(parseRepoUrl(url, 'github')).toEqual({ webBase: 'https://github.com', owner: 'acme', name: 'shop', path: 'acme/shop' });
    }
    expect(apiBaseFor('github', 'https://github.com')).toBe('https://api.github.com');
  });

  it('reads GitHub Enterprise, whose API is at <host>/api/v3, and drops credentials in the URL', () => {
    const repo = parseRepoUrl('https://x-access-token:ghs_secret@git.corp.example/platform/api.git', 'github');
    expect(repo).toEqual({ webBase: 'https://git.corp.example', owner: 'platform', name: 'api', path: 'platform/api' });
    expect(apiBaseFor('github', repo.webBase)).toBe('https://git.corp.example/api/v3');
  });

  it('keeps GitLab nested groups as the URL-encoded project path', () => {
    const repo = parseRepoUrl('https://gitlab.example.com/acme/team/backend/shop.git', 'gitlab');
    expect(repo).toEqual({ webBase: 'https://gitlab.example.com', owner: 'acme/team/backend', name: 'shop', path: 'acme/team/backend/shop' });
    expect(gitlabProjectId(repo)).toBe('acme%2Fteam%2Fbackend%2Fshop');
    expect(apiBaseFor('gitlab', repo.webBase)).toBe('https://gitlab.example.com/api/v4');
  });

  it('keeps a Gitea port and sub-path in the web base', () => {
    expect(parseRepoUrl('http://127.0.0.1:3300/slipway/preview-x.git', 'gitea')).toEqual({
      webBase: 'http://127.0.0.1:3300',
      owner: 'slipway',
      name: 'preview-x',
      path: 'slipway/preview-x',
    });
    const sub = parseRepoUrl('https://code.example.org:8443/git/acme/shop/', 'gitea');
    expect(sub).toMatchObject({ webBase: 'https://code.example.org:8443/git', owner: 'acme', name: 'shop' });
    expect(apiBaseFor('gitea', sub.webBase)).toBe('https://code.example.org:8443/git/api/v1');
  });

  it('refuses URLs that have no web API, with what to use instead, and never shows credentials', () => {
    const refused = (url: string, provider: 'github' | 'gitlab' | 'gitea' = 'github') => {
      try {
        parseRepoUrl(url, provider);
      } catch (e) {
        expect(e).toBeInstanceOf(GitHostError);
        return (e as Error).message;
      }
      throw new Error(`${url} was accepted`);
    };
    expect(refused('git@github.com:acme/shop.git')).toMatch(/not a URL; use the repository's https:\/\/ clone URL/);
    expect(refused('ssh://git@github.com/acme/shop.git')).toMatch(/ssh URLs have no web API; use the repository's https:\/\/ clone URL/);
    expect(refused('file:///srv/git/shop.git', 'gitea')).toMatch(/file URLs have no web API/);
    expect(refused('https://github.com/acme')).toMatch(/expected https:\/\/host\/owner\/repository/);
    expect(refused('https://github.com/acme/team/shop')).toMatch(/a GitHub repository URL is https:\/\/host\/owner\/repository/);
    expect(refused('https://github.com/acme/shop?ref=main')).toMatch(/no query or fragment/);
    expect(refused('https://user:hunter22@gitlab.com/acme/a%2Fb/shop', 'gitlab')).toBe(
      'Cannot post previews to "https://***@gitlab.com/acme/a%2Fb/shop": the path has a "." or ".." segment, an encoded "/" or a broken %-escape',
    );
    expect(refused('https://gitea.example/acme/sh%zzop', 'gitea')).toMatch(/broken %-escape/);
  });
});

describe('the marker and the next page', () => {
  it('puts the marker in front of a body without it, once', () => {
    const marker = previewMarker('p-123');
    expect(marker).toBe('<!-- slipway-preview:p-123 -->');
    expect(withMarker(marker, 'Preview ready')).toBe('<!-- slipway-preview:p-123 -->\nPreview ready');
    expect(withMarker(marker, `Preview ready\n${marker}`)).toBe(`Preview ready\n${marker}`);
    expect(() => withMarker('slipway', 'x')).toThrow(/must be one HTML comment/);
    expect(() => withMarker('<!-- a --> b -->', 'x')).toThrow(/must be one HTML comment/);
    expect(() => previewMarker('p --> <script>')).toThrow(/Invalid project id/);
  });

  it('reads rel="next" from a Link header among other relations', () => {
    const link = '<https://api.github.com/repositories/1/issues/2/comments?page=1>; rel="prev", <https://api.github.com/repositories/1/issues/2/comments?page=3>; rel="next", <https://api.github.com/repositories/1/issues/2/comments?page=9>; rel="last"';
    expect(nextLink(link)).toBe('https://api.github.com/repositories/1/issues/2/comments?page=3');
    expect(nextLink('<http://127.0.0.1:3300/api/v1/x?page=2>; rel="first", <http://127.0.0.1:3300/api/v1/x?page=1>; rel="prev"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });
});
