import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { registryAuth, registryAuthHeader } from '@slipway/secret-box';
import { caddyAdminGet, infraEnv } from '@slipway/testing';

/** Runs a command as `nobody`: an unprivileged process on the platform's host. */
const asNobody = (cmd: string, args: string[]) => {
  try {
    return { ok: true, out: execFileSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (err) {
    return { ok: false, out: String((err as { stderr?: string }).stderr ?? err) };
  }
};

/**
 * security: Caddy's admin API answers the routing service (root, through a socket in a root-only
 * directory) and nobody else: no TCP port, inside the task or on the host. Before, it listened on the
 * task's docker_gwbridge address, and any process on the host could rewrite every route.
 */
describe("security: Caddy's admin API is reachable only through its root-only socket", () => {
  const env = infraEnv();
  const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
  const address = readFileSync(env.CADDY_ADMIN_URL_FILE, 'utf8').trim();

  it('is a unix socket in a directory only root may enter, and it answers there', async () => {
    expect(address).toMatch(/^unix:\//);
    const socket = address.slice('unix:'.length);
    expect(statSync(socket).isSocket()).toBe(true);
    const dir = statSync(join(socket, '..'));
    expect([dir.uid, dir.mode & 0o777]).toEqual([0, 0o700]);
    expect(JSON.parse(await caddyAdminGet(address, '/config/apps/http/servers'))).toHaveProperty('slipway');
  });

  it('refuses an unprivileged process on the host', () => {
    const socket = address.slice('unix:'.length);
    const tried = asNobody('curl', ['-sS', '--max-time', '3', '--unix-socket', socket, 'http://localhost/config/']);
    expect(tried.ok).toBe(false);
    expect(tried.out).toMatch(/Permission denied|Couldn't connect|Failed to connect/i);
  });

  it('listens on no TCP port for the admin API inside the task: only 80 and 443 (and Docker\'s DNS)', async () => {
    const [task] = await docker.listContainers({ filters: { label: [`com.docker.swarm.service.name=${env.CADDY_SERVICE}`] } });
    expect(task).toBeDefined();
    const exec = await docker.getContainer(task.Id).exec({ Cmd: ['/bin/busybox', 'netstat', '-ltn'], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    const raw = await new Promise<string>((resolve) => {
      let out = '';
      stream.on('data', (c: Buffer) => (out += c.toString('latin1')));
      stream.on('end', () => resolve(out));
    });
    // 127.0.0.11 is Docker's embedded DNS resolver, in every container on a user network.
    const ports = [...raw.matchAll(/^tcp\S*\s+\d+\s+\d+\s+(\S+):(\d+)\s+\S+\s+LISTEN/gm)].filter((m) => m[1] !== '127.0.0.11').map((m) => Number(m[2]));
    expect([...new Set(ports)].sort((a, b) => a - b)).toEqual([80, 443]);
  });
});

/**
 * security: the registry takes no anonymous push or pull. Before, anyone on the host could push an
 * image under any project's name, and Swarm would run it at that project's next roll-out.
 */
describe('security: the registry signs in every client', () => {
  const registry = infraEnv().REGISTRY;
  const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });

  it('answers 401 to an anonymous client or a wrong password, 200 with the build sign-in', async () => {
    expect((await fetch(`http://${registry}/v2/`)).status).toBe(401);
    expect((await fetch(`http://${registry}/v2/_catalog`)).status).toBe(401);
    const wrong = { authorization: `Basic ${Buffer.from('build:guessed').toString('base64')}` };
    expect((await fetch(`http://${registry}/v2/`, { headers: wrong })).status).toBe(401);
    expect((await fetch(`http://${registry}/v2/`, { headers: registryAuthHeader('build') })).status).toBe(200);
    expect((await fetch(`http://${registry}/v2/`, { headers: registryAuthHeader('deploy') })).status).toBe(200);
  });

  it('refuses an anonymous push through the Docker Engine, and takes the signed-in one', async () => {
    const ref = `${registry}/security-test/anonymous`;
    const tag = `t${Date.now().toString(36)}`;
    await docker.getImage('node:24-bookworm-slim').tag({ repo: ref, tag });
    const pushed = async (authconfig: Record<string, unknown>) => {
      const stream = await docker.getImage(`${ref}:${tag}`).push({ authconfig } as Dockerode.ImagePushOptions);
      // A refused push does not reject: the error arrives in the progress stream.
      const events = await new Promise<{ error?: string; aux?: { Digest?: string } }[]>((resolve, reject) =>
        docker.modem.followProgress(stream, (err, out) => (err ? reject(err) : resolve(out as never))),
      );
      return { error: events.find((e) => e.error)?.error, digest: events.find((e) => e.aux?.Digest)?.aux?.Digest };
    };
    try {
      expect((await pushed({})).error).toMatch(/no basic auth credentials|unauthorized/);
      const signedIn = await pushed({ ...registryAuth('build', registry) });
      expect(signedIn.error).toBeUndefined();
      await fetch(`http://${registry}/v2/security-test/anonymous/manifests/${signedIn.digest}`, { method: 'DELETE', headers: registryAuthHeader('build') });
    } finally {
      await docker.getImage(`${ref}:${tag}`).remove().catch(() => undefined);
    }
  });

  it('keeps its passwords readable by root alone', () => {
    for (const identity of ['build', 'deploy']) {
      const file = join(infraEnv().SLIPWAY_DATA_DIR, 'secrets', 'registry', identity);
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).mode & 0o077).toBe(0);
    }
  });
});
