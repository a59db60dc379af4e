import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contextOf } from './git-source-build';

/** Compose's `build.context`: the build starts in a folder of the repository, with the Dockerfile inside it. */
describe('the build context folder', () => {
  let repo: string;
  beforeEach(() => {
    repo = realpathSync(mkdtempSync(join(tmpdir(), 'build-test-context-')));
    mkdirSync(join(repo, 'api'));
    writeFileSync(join(repo, 'api', 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(repo, 'Dockerfile'), 'FROM scratch\n');
    symlinkSync('/etc', join(repo, 'out'));
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('is the repository root without one, and the folder with one (the Dockerfile path then starts there)', () => {
    expect(contextOf(repo, { dockerfilePath: 'Dockerfile' })).toEqual({ dir: repo, dockerfilePath: 'Dockerfile' });
    expect(contextOf(repo, { context: '.', dockerfilePath: 'Dockerfile' })).toEqual({ dir: repo, dockerfilePath: 'Dockerfile' });
    expect(contextOf(repo, { context: 'api/', dockerfilePath: 'api/Dockerfile' })).toEqual({ dir: join(repo, 'api'), dockerfilePath: 'Dockerfile' });
  });

  it('refuses a folder that is missing, leads outside the repository, or does not hold the Dockerfile, saying what to do', () => {
    expect(() => contextOf(repo, { context: 'web', dockerfilePath: 'web/Dockerfile' })).toThrow('The build context "web" is not a folder of the repository; check build.context');
    expect(() => contextOf(repo, { context: 'out', dockerfilePath: 'out/Dockerfile' })).toThrow(/leads outside the repository/);
    expect(() => contextOf(repo, { context: 'api', dockerfilePath: 'Dockerfile' })).toThrow('The Dockerfile "Dockerfile" is outside the build context "api"; move it into the context folder');
  });
});
