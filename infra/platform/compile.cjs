// Compiles the TypeScript of proto/, libs/, services/ and gateway/ to CommonJS under dist/ with SWC
// (type checking is `tsc --noEmit`'s job, in npm test). ~0.3 s for the whole tree. Running the
// compiled code instead of compiling on load halves each process's memory (118 MB vs 196 MB measured).
// Import aliases from tsconfig.base.json become relative requires.
const { transformFileSync } = require('@swc/core');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const out = path.join(root, 'dist');
const { paths } = require(path.join(root, 'tsconfig.base.json')).compilerOptions;
const options = {
  swcrc: false,
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
    keepClassNames: true,
    baseUrl: root,
    paths,
  },
  module: { type: 'commonjs' },
};

const sources = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(full);
    return /\.ts$/.test(e.name) && !/\.(spec|d)\.ts$/.test(e.name) ? [full] : [];
  });

let count = 0;
for (const top of ['proto', 'libs', 'services', 'gateway']) {
  for (const file of sources(path.join(root, top))) {
    const dest = path.join(out, path.relative(root, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, transformFileSync(file, options).code);
    count++;
  }
}
process.stderr.write(`==> compiled ${count} files to dist/\n`);
