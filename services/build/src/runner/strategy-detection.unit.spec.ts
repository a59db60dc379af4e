import { BuildError } from './build-error';
import { detectStrategy, normaliseDockerfilePath, type SourceTree } from './strategy-detection';

const tree = (files: Record<string, string>): SourceTree => ({
  isFile: (path) => path in files,
  isDirectory: (path) => Object.keys(files).some((file) => file.startsWith(`${path}/`)),
  read: (path) => {
    if (!(path in files)) throw new Error(`no ${path}`);
    return files[path];
  },
});
const pkg = (scripts: Record<string, string>, extra: object = {}) => JSON.stringify({ name: 'app', scripts, ...extra });

describe('strategy detection', () => {
  it('uses the Dockerfile at the configured path first', () => {
    expect(detectStrategy(tree({ 'docker/Dockerfile': 'FROM x', 'package.json': pkg({ start: 'node .' }) }), 'docker/Dockerfile')).toEqual({
      strategy: 'dockerfile',
      dockerfilePath: 'docker/Dockerfile',
    });
    expect(detectStrategy(tree({ Dockerfile: 'FROM x' }), './Dockerfile').strategy).toBe('dockerfile');
  });

  it('sees a Node app in a start script, or in the server.js that npm start runs by default', () => {
    const withStart = detectStrategy(tree({ 'package.json': pkg({ start: 'node server.js', build: 'tsc' }), 'package-lock.json': '{}' }), 'Dockerfile');
    expect(withStart).toMatchObject({ strategy: 'node', hasBuildScript: true, wholeTreeToInstall: false });
    expect(withStart.strategy === 'node' && withStart.packageManager.install).toBe('npm ci --no-audit --no-fund');
    expect(detectStrategy(tree({ 'package.json': pkg({}), 'server.js': '' }), 'Dockerfile')).toMatchObject({ strategy: 'node', hasBuildScript: false });
  });

  it('sees a single-page app in a build script with nothing to start', () => {
    expect(detectStrategy(tree({ 'package.json': pkg({ build: 'vite build' }), 'index.html': '' }), 'Dockerfile').strategy).toBe('spa');
  });

  it('serves a repository with index.html at its root as a static site', () => {
    expect(detectStrategy(tree({ 'index.html': '<h1>hi</h1>' }), 'Dockerfile')).toEqual({ strategy: 'static' });
    expect(detectStrategy(tree({ 'index.html': '', 'package.json': pkg({ test: 'x' }) }), 'Dockerfile')).toEqual({ strategy: 'static' });
  });

  it('says what it looked for when there is nothing to build', () => {
    expect(() => detectStrategy(tree({ 'README.md': '' }), 'Dockerfile')).toThrow(
      'Nothing to build: no Dockerfile at "Dockerfile", no package.json with a "start" or "build" script, no index.html at the repository root',
    );
  });

  it('follows the strategy chosen in the settings, and says why the tree does not fit it', () => {
    const both = tree({ Dockerfile: 'FROM x', 'package.json': pkg({ start: 'node .', build: 'vite build' }), 'index.html': '' });
    expect(detectStrategy(both, 'Dockerfile', 'auto').strategy).toBe('dockerfile');
    expect(detectStrategy(both, 'Dockerfile', 'node').strategy).toBe('node');
    expect(detectStrategy(both, 'Dockerfile', 'spa').strategy).toBe('spa');
    expect(detectStrategy(both, 'Dockerfile', 'static')).toEqual({ strategy: 'static' });
    expect(() => detectStrategy(tree({ 'index.html': '' }), 'docker/Dockerfile', 'dockerfile')).toThrow(
      'The service is set to build as "dockerfile", but there is no Dockerfile at "docker/Dockerfile"',
    );
    expect(() => detectStrategy(tree({ 'package.json': pkg({ build: 'vite build' }) }), 'Dockerfile', 'node')).toThrow(
      'package.json has no "start" script and there is no server.js',
    );
    expect(() => detectStrategy(tree({ 'index.html': '' }), 'Dockerfile', 'spa')).toThrow('there is no package.json at the repository root');
  });

  it('refuses a broken package.json and a Dockerfile path outside the repository', () => {
    expect(() => detectStrategy(tree({ 'package.json': '{ nope' }), 'Dockerfile')).toThrow(/package.json is not valid JSON/);
    expect(() => normaliseDockerfilePath('../../etc/passwd')).toThrow(BuildError);
    expect(() => normaliseDockerfilePath('.')).toThrow(BuildError);
    expect(normaliseDockerfilePath('/docker//Dockerfile')).toBe('docker/Dockerfile');
  });
});

describe('package manager', () => {
  const plan = (files: Record<string, string>) => {
    const detected = detectStrategy(tree(files), 'Dockerfile');
    if (detected.strategy !== 'node' && detected.strategy !== 'spa') throw new Error('not a node app');
    return detected;
  };

  it('installs from package-lock.json with npm ci, copying the manifests first for the layer cache', () => {
    const { packageManager, wholeTreeToInstall } = plan({ 'package.json': pkg({ start: 'x' }), 'package-lock.json': '{}', '.npmrc': '' });
    expect(packageManager).toMatchObject({ name: 'npm', manifests: ['package.json', 'package-lock.json', '.npmrc'] });
    expect(packageManager.setup).toBeUndefined();
    expect(packageManager.run('build')).toBe('npm run build');
    expect(wholeTreeToInstall).toBe(false);
  });

  it('falls back to npm install without a lockfile', () => {
    expect(plan({ 'package.json': pkg({ start: 'x' }) }).packageManager.install).toBe('npm install --no-audit --no-fund');
  });

  it('installs yarn 1 or the pinned pnpm through npm, since corepack cannot download offline', () => {
    const yarn = plan({ 'package.json': pkg({ start: 'x' }), 'yarn.lock': '' }).packageManager;
    expect(yarn).toMatchObject({ name: 'yarn', setup: 'npm install -g yarn@1', install: 'yarn install --frozen-lockfile' });
    const pnpm = plan({ 'package.json': pkg({ build: 'x' }, { packageManager: 'pnpm@9.12.3+sha512.abc' }), 'pnpm-lock.yaml': '' }).packageManager;
    expect(pnpm).toMatchObject({ name: 'pnpm', setup: 'npm install -g pnpm@9.12.3', install: 'pnpm install --frozen-lockfile' });
    const berry = plan({ 'package.json': pkg({ start: 'x' }, { packageManager: 'yarn@4.5.0' }), 'yarn.lock': '', '.yarnrc.yml': '' });
    expect(berry.packageManager.install).toBe('yarn install --immutable');
    expect(berry.wholeTreeToInstall).toBe(true);
  });

  it('copies the whole tree before installing for workspaces and install scripts', () => {
    expect(plan({ 'package.json': pkg({ start: 'x' }, { workspaces: ['packages/*'] }) }).wholeTreeToInstall).toBe(true);
    expect(plan({ 'package.json': pkg({ start: 'x', postinstall: 'node setup.js' }) }).wholeTreeToInstall).toBe(true);
  });
});
