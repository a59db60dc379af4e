// Prints the package directories (relative to the repo, one a line) that the compiled control plane
// needs at run time: the packages dist/ requires, and everything they depend on, resolved the way
// Node resolves them (a package's own node_modules first, then each parent's). The console's
// packages (React and the like) are left out: the image carries the built console, not its sources.
// Usage: node infra/stack/runtime-modules.cjs <repo>
const fs = require('node:fs');
const path = require('node:path');

const repo = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..'));
// Loaded by NestJS by name at run time, so no file in dist/ requires it.
const loadedByName = ['@nestjs/platform-express'];
// In dist/ but never loaded by a running process: the tests' browser, and the EventStoreDB
// adapter no process starts (ADR 0026).
const notAtRunTime = new Set(['playwright-core', '@eventstore/db-client']);

const requiredBy = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return requiredBy(full);
    if (!e.name.endsWith('.js')) return [];
    return [...fs.readFileSync(full, 'utf8').matchAll(/require\("((?:@[^/"]+\/)?[^/".][^/"]*)[^"]*"\)/g)].map((m) => m[1]);
  });

const resolveFrom = (fromDir, name) => {
  for (let dir = fromDir; dir.startsWith(repo); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === repo) break;
  }
  return undefined;
};

const needed = new Set();
const visit = (fromDir, name, optional) => {
  const dir = resolveFrom(fromDir, name);
  if (!dir) {
    if (optional) return;
    throw new Error(`${name} (needed from ${path.relative(repo, fromDir) || 'the repo'}) is not installed`);
  }
  if (needed.has(dir)) return;
  needed.add(dir);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dir, dep, false);
  for (const dep of [...Object.keys(pkg.optionalDependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]) visit(dir, dep, true);
};

const roots = new Set([...requiredBy(path.join(repo, 'dist')).filter((n) => !n.startsWith('node:')), ...loadedByName]);
for (const name of roots) if (!notAtRunTime.has(name)) visit(repo, name, false);
process.stdout.write([...needed].map((d) => path.relative(repo, d)).sort().join('\n') + '\n');
