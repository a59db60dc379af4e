import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Tests and benchmarks start their own Slipway processes against the machine's NATS, Docker and
 * Caddy: beside a platform someone runs with `npm start`, their routing and deadlines would act
 * on that platform's deployments and config. They refuse to start there instead, and say why.
 */
export const runningPlatformPid = (dataDir = process.env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway'): number | undefined => {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, 'run', 'start.pid'), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined; // a pid file left by a run that was killed
  }
};

export const refuseBesideRunningPlatform = (what = 'The tests'): void => {
  const pid = runningPlatformPid();
  if (pid === undefined) return;
  throw new Error(
    `${what} would disturb the Slipway that 'npm start' runs on this machine (pid ${pid}): they start their own services ` +
      'against the same NATS, Docker and Caddy. Stop it first (Ctrl-C in its terminal, or npm run stop), then run them again.',
  );
};
