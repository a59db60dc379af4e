import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../platform-process';

/** Where a platform's event store and read models are (infraEnv() for the shared one, or a scratch platform's). */
export interface PlatformAddresses {
  NATS_URL: string;
  MONGO_URL: string;
}

/** The host's break-glass (gateway/src/identity/owner-session.cli.ts), compiled as the platform's processes are. */
export const ownerSessionCommand = join(repoRoot, 'dist', 'gateway', 'src', 'identity', 'owner-session.cli.js');

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the command as an administrator on the host would, against the given platform. */
export const runOwnerSessionCommand = (platform: PlatformAddresses, args: string[] = []): Promise<CommandResult> => {
  // Tests compile before starting any process; a caller that started none compiles here.
  if (!existsSync(ownerSessionCommand)) spawnSync(process.execPath, [join(repoRoot, 'infra/platform/compile.cjs')], { stdio: 'ignore' });
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [ownerSessionCommand, ...args],
      { env: { ...process.env, NATS_URL: platform.NATS_URL, MONGO_URL: platform.MONGO_URL }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
};

/** A session token for the instance owner, issued from the host (never their password). */
export const hostOwnerSession = async (platform: PlatformAddresses): Promise<string> => {
  const result = await runOwnerSessionCommand(platform);
  const token = result.stdout.trim();
  if (result.code !== 0 || !token) throw new Error(`The host's owner-session command failed (exit ${result.code}): ${result.stderr.trim()}`);
  return token;
};
