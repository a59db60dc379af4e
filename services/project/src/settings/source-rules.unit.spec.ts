import { DomainError } from '@slipway/messaging';
import { classifyGitUrl, refuseDisallowedSource, slipwayImageProject, type SourcePolicy } from './source-rules';

const admin: SourcePolicy = { callerStanding: 'member', allowedHttpGitHosts: [] };
const owner: SourcePolicy = { callerStanding: 'instance-owner', allowedHttpGitHosts: [] };
const git = (url: string) => ({ kind: 'git' as const, url, ref: 'main' });

/** The refusal as the caller sees it, or undefined when the source is allowed. */
const refusalOf = (source: Parameters<typeof refuseDisallowedSource>[0], policy: SourcePolicy, projectId = 'p_1') => {
  try {
    refuseDisallowedSource(source, projectId, policy);
    return undefined;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return { code: err.code, field: err.field, message: err.message };
  }
};

describe('security: the source rule', () => {
  it.each([
    'https://github.com/acme/shop.git',
    'https://x-access-token:secret@gitea.example/acme/shop',
    'ssh://git@github.com/acme/shop.git',
    'git+ssh://git@github.com/acme/shop.git',
    'git@github.com:acme/shop.git',
    'gitea.lan:acme/shop.git',
  ])('lets everyone build from %s', (url) => {
    expect(refusalOf(git(url), admin)).toBeUndefined();
    expect(refusalOf(git(url), owner)).toBeUndefined();
  });

  it.each(['file:///var/lib/slipway/build/git/x', 'FILE:///srv/git/shop', 'file://localhost/srv/git/shop', '/srv/git/shop', '/var/lib/slipway/build/git/x'])(
    'lets only the instance owner build the local repository %s',
    (url) => {
      expect(refusalOf(git(url), owner)).toBeUndefined();
      expect(refusalOf(git(url), admin)).toEqual({
        code: 'SOURCE_NOT_ALLOWED',
        field: 'source.git.url',
        message: expect.stringMatching(/only the instance owner may build one\. Push the code to a git server and give its https:\/\/ or ssh URL/),
      });
    },
  );

  it.each([
    ['git://git.example/shop.git', /git:\/\/ is not a transport Slipway fetches from \(unencrypted/],
    ['ext::sh -c touch% /tmp/pwned', /spaces|transport::address/],
    ['ext::sh', /transport::address/],
    ['fd::3', /transport::address/],
    ['--upload-pack=touch /tmp/pwned', /option/],
    ['-oProxyCommand=x', /option/],
    ['git@-oProxyCommand=x:repo', /not a URL git can fetch/],
    ['ssh://-oProxyCommand=x/repo', /names no host/],
    ['ftp://git.example/shop.git', /ftp:\/\/ is not a transport/],
    ['https://evil.example\\@gitea.lan/x', /"\\"/],
    ['https:///no-host', /names no host/],
    ['relative/path', /not a URL git can fetch/],
    ['./repo', /not a URL git can fetch/],
    [' https://github.com/acme/shop.git', /spaces/],
    ['https://github.com/acme/shop.git\n', /control/],
  ])('refuses %s for everyone, naming the rule', (url, reason) => {
    for (const policy of [admin, owner]) {
      const refusal = refusalOf(git(url), policy);
      expect(refusal).toMatchObject({ code: 'SOURCE_NOT_ALLOWED', field: 'source.git.url' });
      expect(refusal!.message).toMatch(reason);
      expect(refusal!.message).toMatch(/https:\/\/ or ssh.*allowedHttpGitHosts.*file:\/\/ and local paths only for the instance owner/);
    }
  });

  it('lets plain http reach only the hosts the instance owner allows, on any port or the one named', () => {
    const allowing = (...hosts: string[]): SourcePolicy => ({ ...admin, allowedHttpGitHosts: hosts });
    expect(refusalOf(git('http://gitea.lan/acme/shop.git'), admin)?.message).toMatch(
      /plain http to gitea\.lan, which is not among the instance's allowedHttpGitHosts: use its https:\/\/ or ssh URL, or ask the instance owner to allow gitea\.lan/,
    );
    expect(refusalOf(git('http://gitea.lan/acme/shop.git'), owner)).toMatchObject({ code: 'SOURCE_NOT_ALLOWED' });
    expect(refusalOf(git('http://gitea.lan/acme/shop.git'), allowing('gitea.lan'))).toBeUndefined();
    expect(refusalOf(git('http://GITEA.lan:3000/acme/shop.git'), allowing('gitea.lan'))).toBeUndefined();
    expect(refusalOf(git('http://10.0.0.5:3000/acme/shop.git'), allowing('10.0.0.5:3000'))).toBeUndefined();
    expect(refusalOf(git('http://10.0.0.5:3001/acme/shop.git'), allowing('10.0.0.5:3000'))?.message).toMatch(/allow 10\.0\.0\.5:3001/);
    expect(refusalOf(git('http://gitea.lan:80/x'), allowing('gitea.lan:80'))).toBeUndefined();
    // The host is the one after the user info, as curl reads it.
    expect(refusalOf(git('http://gitea.lan@evil.example/x'), allowing('gitea.lan'))?.message).toMatch(/to evil\.example/);
    expect(refusalOf(git('http://gitea.lan.evil.example/x'), allowing('gitea.lan'))).toMatchObject({ code: 'SOURCE_NOT_ALLOWED' });
  });

  it('never repeats a credential given in the URL', () => {
    expect(refusalOf(git('http://user:hunter22@gitea.lan/x'), admin)?.message).not.toContain('hunter22');
  });

  it('classifies what git would do', () => {
    expect(classifyGitUrl('http://gitea.lan/x')).toEqual({ kind: 'http', hostname: 'gitea.lan', port: '80' });
    expect(classifyGitUrl('file:///x')).toEqual({ kind: 'local' });
    expect(classifyGitUrl('git@github.com:a/b')).toEqual({ kind: 'ssh' });
  });
});

describe('security: images in Slipway\u2019s registry', () => {
  const registry = '127.0.0.1:5000';
  const image = (ref: string) => ({ kind: 'image' as const, ref });
  const other = { name: 'other', projectId: 'p_9' };

  it('names the project of an image in Slipway\u2019s registry, under any loopback name for it', () => {
    expect(slipwayImageProject('127.0.0.1:5000/other/web:abc', registry)).toBe('other');
    expect(slipwayImageProject('localhost:5000/other/web@sha256:' + 'a'.repeat(64), registry)).toBe('other');
    expect(slipwayImageProject('[::1]:5000/other/web', registry)).toBe('other');
    expect(slipwayImageProject('127.0.0.2:5000/other/web', registry)).toBe('other');
    expect(slipwayImageProject('127.0.0.1:5001/other/web', registry)).toBeUndefined();
    expect(slipwayImageProject('127.0.0.1:5000/web:abc', registry)).toBeUndefined();
    expect(slipwayImageProject('127.0.0.1:5000/Not_A_Project/web', registry)).toBeUndefined();
    expect(slipwayImageProject('docker.io/other/web:1', registry)).toBeUndefined();
    expect(slipwayImageProject('other/web:1', registry)).toBeUndefined();
  });

  it('refuses another project\u2019s image to a project admin; its own, others\u2019 registries and the instance owner are fine', () => {
    expect(refusalOf(image('127.0.0.1:5000/other/web:abc'), { ...admin, imageProject: other })).toEqual({
      code: 'SOURCE_NOT_ALLOWED',
      field: 'source.image.ref',
      message: expect.stringMatching(/one of project other's builds in Slipway's registry: a service may use only its own project's images there/),
    });
    expect(refusalOf(image('127.0.0.1:5000/other/web:abc'), { ...admin, imageProject: other }, 'p_9')).toBeUndefined();
    expect(refusalOf(image('127.0.0.1:5000/other/web:abc'), { ...owner, imageProject: other })).toBeUndefined();
    expect(refusalOf(image('127.0.0.1:5000/nobody/web:abc'), admin)).toBeUndefined();
    expect(refusalOf(image('nginx:1.27'), admin)).toBeUndefined();
  });
});

describe('security: uploaded archives belong to the project they were uploaded for', () => {
  const archive = { kind: 'archive' as const, archiveId: 'a_1' };

  it('lets only that project\u2019s services use an upload, the instance owner included', () => {
    expect(refusalOf(archive, { ...admin, archiveProjectId: 'p_1' }, 'p_1')).toBeUndefined();
    for (const policy of [admin, owner]) {
      expect(refusalOf(archive, { ...policy, archiveProjectId: 'p_9' }, 'p_1')).toEqual({
        code: 'SOURCE_NOT_ALLOWED',
        field: 'source.archive.id',
        message:
          'Archive a_1 was uploaded for another project: a service may use only archives uploaded for its own project; ' +
          'upload the source again with POST /archives?projectId=p_1 and use the archiveId it answers',
      });
    }
  });

  it('refuses an upload that is not kept (never uploaded, or swept after an hour unused)', () => {
    expect(refusalOf(archive, { ...owner, archiveProjectId: null })?.message).toMatch(/^Archive a_1 is not among the uploads: it was never uploaded, or it was deleted after an hour unused; upload the source again/);
  });
});
