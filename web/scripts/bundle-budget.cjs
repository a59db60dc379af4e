// The first load of the console ships at most 300 KB of gzipped JavaScript: the scripts index.html
// loads, and the modules they import statically (lazy routes are not part of the first load).
const fs = require('node:fs');
const path = require('node:path');
const { gzipSync } = require('node:zlib');

const BUDGET = 300 * 1024;
const dist = path.join(__dirname, '..', 'dist');
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
const entries = [...html.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+\.js)"/g)].map((m) => m[1]);
const seen = new Set();
const visit = (file) => {
  if (seen.has(file)) return;
  seen.add(file);
  const code = fs.readFileSync(path.join(dist, file), 'utf8');
  // Static imports only: `import … from "./x.js"` and `import "./x.js"`, not `import("./x.js")`.
  for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[^'"();]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) visit(path.join(path.dirname(file), m[1]));
};
entries.forEach(visit);
const sizes = [...seen].map((f) => ({ file: f, gz: gzipSync(fs.readFileSync(path.join(dist, f))).length }));
const total = sizes.reduce((sum, s) => sum + s.gz, 0);
for (const s of sizes.sort((a, b) => b.gz - a.gz)) console.log(`  ${(s.gz / 1024).toFixed(1).padStart(7)} KB gz  ${s.file}`);
console.log(`console entry route: ${(total / 1024).toFixed(1)} KB of gzipped JavaScript (budget ${BUDGET / 1024} KB)`);
if (total > BUDGET) {
  console.error(`Over budget by ${((total - BUDGET) / 1024).toFixed(1)} KB: lazy-load a page or drop a dependency (largest first above)`);
  process.exit(1);
}
