import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The multi-node test (issue 14, docs/multi-node.md): infra/scripts/second-node.sh starts two
 * scratch Docker Engines, each in a network namespace of its own, and makes a swarm of them (a
 * manager, and a worker labelled slipway.build=true); its `check` runs an app with 2 replicas (a
 * task on each node) reached over the overlay, Caddy reaching both tasks, and a build pinned to the
 * build node. The platform's own dockerd and swarm are never touched.
 */
const script = join(__dirname, '..', 'scripts', 'second-node.sh');
const run = (command: string) => spawnSync('bash', [script, command], { encoding: 'utf8', timeout: 300_000 });

describe('two Docker nodes in one swarm, on this machine', () => {
  afterAll(() => {
    const down = run('down');
    if (down.status !== 0) throw new Error(`second-node.sh down failed, so something is left behind:\n${down.stdout}${down.stderr}`);
  });

  it('runs a task on each node, reaches both over the overlay and through Caddy, and builds on the labelled node', () => {
    const up = run('up');
    expect({ status: up.status, tail: up.status === 0 ? '' : `${up.stdout}${up.stderr}`.slice(-3000) }).toEqual({ status: 0, tail: '' });
    const check = run('check');
    const output = `${check.stdout}${check.stderr}`;
    expect({ status: check.status, tail: check.status === 0 ? '' : output.slice(-3000) }).toEqual({ status: 0, tail: '' });
    expect(output).toMatch(/all multi-node checks passed/);
    console.log(output.split('\n').filter((l) => /PASS|FAIL|ok=|answered by/.test(l)).join('\n'));
  }, 600_000);
});
