import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../platform-process';

export interface GiteaRepository {
  owner: string;
  name: string;
  /** `http://127.0.0.1:<port>/<owner>/<name>.git`; clone it with `fixture.gitAuthEnv()`. */
  cloneUrl: string;
}
export interface GiteaPullRequest {
  number: number;
  state: 'open' | 'closed';
  head: { ref: string; sha: string };
  base: { ref: string };
}
export interface GiteaComment {
  id: number;
  body: string;
  user: { login: string };
}
export interface GiteaStartup {
  installMs: number;
  startMs: number;
  alreadyRunning: boolean;
}

const run = promisify(execFile);
const script = join(repoRoot, 'infra/scripts/gitea.sh');

/** Runs `gitea.sh <action>`; its output is in the error when it fails. */
const giteaScript = async (action: 'install' | 'start'): Promise<number> => {
  const t0 = Date.now();
  try {
    await run('bash', [script, action], { encoding: 'utf8', maxBuffer: 16 << 20 });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`infra/scripts/gitea.sh ${action} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
  return Date.now() - t0;
};

const readEnvFile = (file: string): Record<string, string> =>
  Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => /^([A-Z_]+)=(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );

const healthy = async (url: string): Promise<boolean> => {
  try {
    const res = await fetch(`${url}/api/healthz`, { signal: AbortSignal.timeout(2_000) });
    return res.ok;
  } catch {
    return false;
  }
};

const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

const uniqueName = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

/**
 * A real Gitea (infra/scripts/gitea.sh, 127.0.0.1 only) and an API token of its admin user, for
 * tests that need a git host: repositories, branches pushed over HTTP, signed webhooks, pull
 * requests and their comments. `close()` deletes the token and the local clones.
 */
export class GiteaFixture {
  private readonly clones = mkdtempSync(join(tmpdir(), 'slipway-gitea-clones-'));

  private constructor(
    readonly url: string,
    readonly user: string,
    /** An access token of `user` with the repository, issue and user scopes. */
    readonly token: string,
    private readonly tokenName: string,
    private readonly password: string,
    readonly startup: GiteaStartup,
  ) {}

  /** Installs (cached after the first build) and starts Gitea when it is not up; waits until it answers. */
  static async start(): Promise<GiteaFixture> {
    const dataDir = process.env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway';
    const envFile = join(dataDir, 'run', 'gitea.env');
    const known = existsSync(envFile) ? readEnvFile(envFile).GITEA_URL : undefined;
    const alreadyRunning = known !== undefined && (await healthy(known));
    // Both are quick when there is nothing to do, and they notice a Gitea of an older version.
    const installMs = await giteaScript('install');
    const startMs = await giteaScript('start');
    const env = readEnvFile(envFile);
    if (!(await healthy(env.GITEA_URL))) throw new Error(`Gitea at ${env.GITEA_URL} does not answer /api/healthz`);
    const user = env.GITEA_ADMIN_USER;
    const password = readFileSync(env.GITEA_ADMIN_PASSWORD_FILE, 'utf8').trim();
    const tokenName = uniqueName('slipway-test');
    const res = await fetch(`${env.GITEA_URL}/api/v1/users/${user}/tokens`, {
      method: 'POST',
      headers: { authorization: basicAuth(user, password), 'content-type': 'application/json' },
      body: JSON.stringify({ name: tokenName, scopes: ['write:repository', 'write:issue', 'write:user'] }),
    });
    if (!res.ok) throw new Error(`Gitea refused to create an access token for ${user}: HTTP ${res.status} ${await res.text()}`);
    const { sha1 } = (await res.json()) as { sha1: string };
    return new GiteaFixture(env.GITEA_URL, user, sha1, tokenName, password, { installMs, startMs, alreadyRunning });
  }

  /** A call to Gitea's REST API (`path` after /api/v1) as the admin; throws on a status >= 300. */
  async api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}/api/v1${path}`, {
      method,
      headers: { authorization: `token ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`Gitea ${method} ${path}: HTTP ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A new repository of the admin, with a README on `main`. */
  async createRepository(prefix = 'repo'): Promise<GiteaRepository> {
    const created = await this.api<{ name: string; owner: { login: string }; clone_url: string }>('POST', '/user/repos', {
      name: uniqueName(prefix),
      auto_init: true,
      default_branch: 'main',
      private: false,
    });
    return { owner: created.owner.login, name: created.name, cloneUrl: created.clone_url };
  }

  async deleteRepository(repo: GiteaRepository): Promise<void> {
    await this.api('DELETE', `/repos/${repo.owner}/${repo.name}`);
    rmSync(join(this.clones, repo.name), { recursive: true, force: true });
  }

  async createBranch(repo: GiteaRepository, name: string, from = 'main'): Promise<void> {
    await this.api('POST', `/repos/${repo.owner}/${repo.name}/branches`, { new_branch_name: name, old_branch_name: from });
  }

  /**
   * Commits `files` (null deletes one) on `branch` and pushes it over HTTP, as a developer would;
   * a branch that does not exist yet starts from `from`. Returns the new commit's sha.
   */
  async push(repo: GiteaRepository, branch: string, files: Record<string, string | null>, message: string, from = 'main'): Promise<string> {
    const dir = join(this.clones, repo.name);
    if (!existsSync(dir)) await this.git(this.clones, 'clone', '-q', repo.cloneUrl, dir);
    await this.git(dir, 'fetch', '-q', 'origin');
    const remote = (await this.git(dir, 'branch', '-r', '--list', `origin/${branch}`)).trim();
    await this.git(dir, 'checkout', '-q', '-B', branch, remote ? `origin/${branch}` : `origin/${from}`);
    for (const [path, content] of Object.entries(files)) {
      const full = join(dir, path);
      if (content === null) rmSync(full, { force: true });
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
    await this.git(dir, 'add', '-A');
    await this.git(dir, 'commit', '-q', '-m', message);
    await this.git(dir, 'push', '-q', 'origin', `HEAD:refs/heads/${branch}`);
    return (await this.git(dir, 'rev-parse', 'HEAD')).trim();
  }

  /** Registers a Gitea-type webhook (JSON, signed with `secret`); returns its id. */
  async addWebhook(repo: GiteaRepository, target: { url: string; secret: string; events?: string[] }): Promise<number> {
    const hook = await this.api<{ id: number }>('POST', `/repos/${repo.owner}/${repo.name}/hooks`, {
      type: 'gitea',
      config: { url: target.url, content_type: 'json', secret: target.secret },
      events: target.events ?? ['push', 'pull_request'],
      active: true,
    });
    return hook.id;
  }

  openPullRequest(repo: GiteaRepository, pr: { head: string; base?: string; title: string; body?: string }): Promise<GiteaPullRequest> {
    return this.api('POST', `/repos/${repo.owner}/${repo.name}/pulls`, { base: 'main', ...pr });
  }

  pullRequest(repo: GiteaRepository, number: number): Promise<GiteaPullRequest> {
    return this.api('GET', `/repos/${repo.owner}/${repo.name}/pulls/${number}`);
  }

  closePullRequest(repo: GiteaRepository, number: number): Promise<GiteaPullRequest> {
    return this.api('PATCH', `/repos/${repo.owner}/${repo.name}/pulls/${number}`, { state: 'closed' });
  }

  /** Comments of an issue or a pull request (they share the numbering), oldest first. */
  comments(repo: GiteaRepository, number: number): Promise<GiteaComment[]> {
    return this.api('GET', `/repos/${repo.owner}/${repo.name}/issues/${number}/comments`);
  }

  comment(repo: GiteaRepository, number: number, body: string): Promise<GiteaComment> {
    return this.api('POST', `/repos/${repo.owner}/${repo.name}/issues/${number}/comments`, { body });
  }

  /**
   * Environment for `git` against this Gitea: the token as an HTTP header (not in argv, not in
   * .git/config) and a committer identity.
   */
  gitAuthEnv(): NodeJS.ProcessEnv {
    const config = [
      ['http.extraHeader', `Authorization: ${basicAuth(this.user, this.token)}`],
      ['user.name', 'Slipway test'],
      ['user.email', 'test@slipway.test'],
    ];
    const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_COUNT: String(config.length) };
    config.forEach(([key, value], i) => {
      env[`GIT_CONFIG_KEY_${i}`] = key;
      env[`GIT_CONFIG_VALUE_${i}`] = value;
    });
    return env;
  }

  /** Deletes the token this fixture made and its local clones (repositories: deleteRepository). */
  async close(): Promise<void> {
    rmSync(this.clones, { recursive: true, force: true });
    // Gitea manages tokens only with the password (basic auth), not with a token.
    await fetch(`${this.url}/api/v1/users/${this.user}/tokens/${this.tokenName}`, {
      method: 'DELETE',
      headers: { authorization: basicAuth(this.user, this.password) },
    }).catch(() => undefined);
  }

  private async git(cwd: string, ...args: string[]): Promise<string> {
    try {
      return (await run('git', args, { cwd, env: this.gitAuthEnv(), encoding: 'utf8' })).stdout;
    } catch (e) {
      throw new Error(`git ${args.join(' ')} failed: ${(e as { stderr?: string }).stderr ?? String(e)}`);
    }
  }
}
