import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBuildDirectory, slipwayDataDirectories } from './build-directories';

describe('build directories', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'build-test-dirs-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('gives each build its own directory and sweeps those a dead process left behind', async () => {
    const contexts = join(dataDir, 'contexts');
    mkdirSync(join(contexts, 'crashed-abc'), { recursive: true });
    mkdirSync(join(contexts, 'running-def'));
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(join(contexts, 'crashed-abc'), twoHoursAgo, twoHoursAgo);

    const dir = await createBuildDirectory(dataDir, 'b1', 3_600_000);
    expect(dir).toMatch(new RegExp(`^${contexts}/b1-`));
    expect(readdirSync(contexts).sort()).toEqual([dir.split('/').pop(), 'running-def'].sort());
  });

  it('security: keeps the whole of $SLIPWAY_DATA_DIR off limits to sources, and the runner\u2019s own directories', () => {
    const config = { dataDir: '/srv/x/build', archivesDir: '/srv/x/archives' };
    expect(slipwayDataDirectories(config, { SLIPWAY_DATA_DIR: '/srv/x' })).toEqual(['/srv/x', '/srv/x/build', '/srv/x/archives']);
    expect(slipwayDataDirectories(config, {})[0]).toBe('/var/lib/slipway');
  });
});
