/**
 * How a detected Node app installs its dependencies, chosen from its lockfile.
 *
 * npm ships with every Node image and is what the tests prove. yarn and pnpm are not in the
 * local node:24-bookworm-slim stand-in, and corepack cannot download them without the internet
 * it would need, so they are installed with `npm install -g` (from the npm registry, which every
 * build already reaches) at the version the `packageManager` field names, else yarn 1 / pnpm 10.
 * Yarn 2+ ("berry") works when the repository commits its release (`yarnPath` in .yarnrc.yml,
 * which yarn 1 hands over to); otherwise its lockfile does not install with yarn 1.
 */
export type PackageManagerName = 'npm' | 'yarn' | 'pnpm';

export interface PackageManagerPlan {
  name: PackageManagerName;
  /** Files to copy before installing, so the install layer is cached until they change. */
  manifests: string[];
  /** Run as root before switching to the app user (global installs). */
  setup?: string;
  install: string;
  run(script: string): string;
}

export interface PackageJson {
  scripts?: Record<string, string>;
  workspaces?: unknown;
  packageManager?: string;
}

const OPTIONAL_CONFIG = ['.npmrc', '.yarnrc', '.yarnrc.yml'];

/** 'pnpm@9.12.0+sha512.abc' → '9.12.0' when it names `name`. */
const pinnedVersion = (packageJson: PackageJson, name: PackageManagerName): string | undefined => {
  const match = /^([a-z]+)@([0-9][0-9A-Za-z.+-]*?)(\+.*)?$/.exec(packageJson.packageManager ?? '');
  return match && match[1] === name ? match[2] : undefined;
};

export const planPackageManager = (has: (file: string) => boolean, packageJson: PackageJson): PackageManagerPlan => {
  const config = OPTIONAL_CONFIG.filter(has);
  if (has('pnpm-lock.yaml')) {
    return {
      name: 'pnpm',
      manifests: ['package.json', 'pnpm-lock.yaml', ...config],
      setup: `npm install -g pnpm@${pinnedVersion(packageJson, 'pnpm') ?? '10'}`,
      install: 'pnpm install --frozen-lockfile',
      run: (script) => `pnpm run ${script}`,
    };
  }
  if (has('yarn.lock')) {
    const pinned = pinnedVersion(packageJson, 'yarn');
    const classic = pinned === undefined || pinned.startsWith('1.');
    return {
      name: 'yarn',
      manifests: ['package.json', 'yarn.lock', ...config],
      setup: `npm install -g yarn@${classic && pinned ? pinned : '1'}`,
      install: classic ? 'yarn install --frozen-lockfile' : 'yarn install --immutable',
      run: (script) => `yarn run ${script}`,
    };
  }
  const lockfile = ['package-lock.json', 'npm-shrinkwrap.json'].find(has);
  return {
    name: 'npm',
    manifests: ['package.json', ...(lockfile ? [lockfile] : []), ...config],
    install: lockfile ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund',
    run: (script) => `npm run ${script}`,
  };
};

/**
 * Copying only the manifests first keeps the install layer cached across source changes, but
 * workspaces, yarn's committed release and install-time scripts need the whole tree to install.
 */
export const needsWholeTreeToInstall = (has: (file: string) => boolean, packageJson: PackageJson): boolean =>
  packageJson.workspaces !== undefined ||
  has('pnpm-workspace.yaml') ||
  has('.yarnrc.yml') ||
  ['preinstall', 'install', 'postinstall', 'prepare'].some((script) => packageJson.scripts?.[script] !== undefined);
