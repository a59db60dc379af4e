import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A real git repository on disk, made by the test: its `file://` URL is what a service builds from. */
export class GitRepoFixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'slipway-e2e-repo-'));
  readonly url = `file://${this.dir}`;

  constructor() {
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'e2e@slipway.test');
    this.git('config', 'user.name', 'Slipway e2e');
  }

  commit(files: Record<string, string | null>, message: string): string {
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.dir, path);
      if (content === null) {
        rmSync(full, { force: true });
        continue;
      }
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8' });
  }
}

/** A tiny Node HTTP app that says which version it is, with a health endpoint. */
export const nodeApp = (version: string, options: { healthy?: boolean } = {}) => ({
  'server.js': `const http = require('node:http');
const port = Number(process.env.PORT || 3000);
http.createServer((req, res) => {
  if (req.url === '/healthz') { res.writeHead(${options.healthy === false ? 500 : 200}); return res.end('${options.healthy === false ? 'sick' : 'ok'}'); }
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('hello from ${version}\\n');
}).listen(port, () => console.log('listening on ' + port));
process.on('SIGTERM', () => process.exit(0));
`,
  'package.json': JSON.stringify({ name: 'e2e-app', version: '1.0.0', private: true, scripts: { start: 'node server.js' } }, null, 2),
});

export const nodeDockerfile = `FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json server.js ./
ENV PORT=3000
EXPOSE 3000
USER node
CMD ["node", "server.js"]
`;
