import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The dependency law of ARCHITECTURE.md §1, proven to bite: a file that breaks it fails lint.
 * (The Nx rule silently skips itself without a project graph, hence the explicit `nx show projects`.)
 */
const repo = join(__dirname, '..', '..');

describe('module boundaries', () => {
  beforeAll(() => {
    execFileSync('npx', ['nx', 'show', 'projects'], { cwd: repo, env: { ...process.env, NX_DAEMON: 'false' }, stdio: 'ignore' });
  });

  // The eslint CLI, as `npm test` runs it (its config loader needs a real Node, not jest's VM).
  const boundaryErrors = async (file: string, code: string) => {
    const run = spawnSync('npx', ['eslint', '--format', 'json', '--stdin', '--stdin-filename', join(repo, file)], {
      cwd: repo,
      input: code,
      encoding: 'utf8',
    });
    const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string; message: string }[] }[];
    return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
  };

  it('stops a service from importing another service', async () => {
    const errors = await boundaryErrors(
      'services/deploy/src/probe.ts',
      "import { BuildModule } from '../../build/src/build.module';\nexport const m = BuildModule;\n",
    );
    expect(errors.join('\n')).toMatch(/relative or absolute path/);
  });

  it('stops proto from importing anything of the repo', async () => {
    const errors = await boundaryErrors(
      'proto/src/probe.ts',
      "import { infraEnv } from '@slipway/testing';\nexport const s = infraEnv;\n",
    );
    // Every lib depends on proto, so the rule may report the cycle rather than the tag: refused either way.
    expect(errors.join('\n')).toMatch(/tagged with "type:contracts" cannot depend on any libs|Circular dependency between "proto" and "testing"/);
  });

  it('lets a service import proto and libs', async () => {
    const errors = await boundaryErrors(
      'services/deploy/src/probe.ts',
      "import { eventSubject } from '@slipway/proto';\nimport { handleCommand } from '@slipway/event-store';\nexport const x = [eventSubject, handleCommand];\n",
    );
    expect(errors).toEqual([]);
  });
});
