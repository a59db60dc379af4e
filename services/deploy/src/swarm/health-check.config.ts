import type Dockerode from 'dockerode';
import type { ServiceSpec } from '@slipway/proto';


/**
 * Health check timing. A check runs every 2 s; 3 failures in a row after the start period make the
 * container unhealthy, and Swarm replaces it. During the start period failures do not count, but
 * the first success makes the task healthy at once, so a longer period only delays the verdict on
 * an app that never comes up (≈ start period + 3 × interval ≈ 11 s here).
 */
export const HEALTH_TIMING = { intervalS: 2, timeoutS: 2, retries: 3, startPeriodS: 5 } as const;

const encodedPathChar = /[^A-Za-z0-9\-._~/?&=%+:@,;!*()$]/g;

/**
 * The path as it goes into a shell command: every character outside a safe URL set is
 * percent-encoded, so quotes, spaces, `$`-expansions or backticks can never reach the shell.
 */
export const safeHealthPath = (path: string): string =>
  path.replace(encodedPathChar, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );

/**
 * The health check command. Images differ in what they ship (busybox wget, curl, only node, or
 * nothing), so the shell picks the first client that exists. busybox's `wget -T` segfaults
 * (busybox-static 1.35), so no client gets its own timeout: Docker's check timeout bounds it.
 * Healthy means a 2xx/3xx answer (tcp: the port accepts a connection).
 */
export const healthCheckTest = (check: ServiceSpec['healthCheck'], port: number): string[] => {
  switch (check.kind) {
    case 'none':
      return ['NONE'];
    case 'http': {
      const url = `http://127.0.0.1:${port}${safeHealthPath(check.path)}`;
      const nodeProbe = `require('http').get(process.argv[1],r=>{console.log('HTTP '+r.statusCode);process.exit(r.statusCode<400?0:1)}).on('error',e=>{console.log(e.message);process.exit(1)})`;
      return [
        'CMD-SHELL',
        `if command -v wget >/dev/null 2>&1; then wget -q -O /dev/null '${url}'; ` +
          `elif command -v curl >/dev/null 2>&1; then curl -fsS -o /dev/null '${url}'; ` +
          `elif command -v node >/dev/null 2>&1; then node -e "${nodeProbe}" '${url}'; ` +
          `else echo 'slipway: the image has no wget, curl or node for the http health check' >&2; exit 1; fi`,
      ];
    }
    case 'tcp': {
      const nodeProbe = `require('net').connect(${port},'127.0.0.1').on('connect',()=>process.exit(0)).on('error',e=>{console.log(e.message);process.exit(1)})`;
      return [
        'CMD-SHELL',
        `if command -v bash >/dev/null 2>&1; then bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port}'; ` +
          `elif command -v node >/dev/null 2>&1; then node -e "${nodeProbe}"; ` +
          // -w and a closed stdin, not -z: busybox's nc (static images) has no -z.
          `elif command -v nc >/dev/null 2>&1; then nc -w 1 127.0.0.1 ${port} </dev/null; ` +
          `else echo 'slipway: the image has no bash, node or nc for the tcp health check' >&2; exit 1; fi`,
      ];
    }
    case 'command':
      // No test: [] keeps the image's own HEALTHCHECK command (Docker's rule), with these timings.
      if (!check.test) return [];
      return check.test.kind === 'exec' ? ['CMD', ...check.test.argv] : ['CMD-SHELL', check.test.command];
    default:
      return assertNever(check);
  }
};

const MILLISECOND = 1_000_000; // Docker durations are nanoseconds
const DEFAULT_TIMING = {
  intervalMs: HEALTH_TIMING.intervalS * 1_000,
  timeoutMs: HEALTH_TIMING.timeoutS * 1_000,
  retries: HEALTH_TIMING.retries,
  startPeriodMs: HEALTH_TIMING.startPeriodS * 1_000,
};

/** Slipway's timing for its own checks; a command check (from a Compose file) brings its own. */
export const healthCheckConfig = (check: ServiceSpec['healthCheck'], port: number): Dockerode.HealthConfig => {
  if (check.kind === 'none') return { Test: ['NONE'] };
  const timing = check.kind === 'command' ? check : DEFAULT_TIMING;
  return {
    Test: healthCheckTest(check, port),
    Interval: timing.intervalMs * MILLISECOND,
    Timeout: timing.timeoutMs * MILLISECOND,
    Retries: timing.retries,
    StartPeriod: timing.startPeriodMs * MILLISECOND,
  };
};

const assertNever = (value: never): never => {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
};
