import { ComposeHealthCheck } from './compose-plan';
import { durationMs } from './compose-units';

export interface RawHealthCheck {
  test?: string | string[];
  disable?: boolean;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
  start_interval?: string;
}

/** Docker's defaults, which Compose keeps: the plan carries them so nothing downstream guesses. */
const DEFAULTS = { intervalMs: 30_000, timeoutMs: 30_000, retries: 3, startPeriodMs: 0 };

export type HealthRead = { ok: true; healthCheck?: ComposeHealthCheck } | { ok: false; key: string; message: string };

/**
 * `healthcheck:` → a command health check run by Swarm in the container, as Compose runs it:
 * `test` as a string or `[CMD-SHELL, "…"]` runs in the image's shell, `[CMD, …]` runs directly,
 * `[NONE]` or `disable: true` turns the image's check off.
 */
export const readHealthCheck = (raw: RawHealthCheck | undefined): HealthRead => {
  if (!raw) return { ok: true };
  if (raw.disable === true) return { ok: true, healthCheck: { kind: 'none' } };
  const timing = {
    intervalMs: raw.interval === undefined ? DEFAULTS.intervalMs : durationMs(raw.interval),
    timeoutMs: raw.timeout === undefined ? DEFAULTS.timeoutMs : durationMs(raw.timeout),
    startPeriodMs: raw.start_period === undefined ? DEFAULTS.startPeriodMs : durationMs(raw.start_period),
  };
  for (const [key, value] of Object.entries(timing)) {
    if (value === undefined) return { ok: false, key: key.replace('Ms', ''), message: 'must be a duration like 30s, 1m30s or 500ms' };
  }
  const retries = raw.retries ?? DEFAULTS.retries;
  if (!Number.isInteger(retries) || retries < 0) return { ok: false, key: 'retries', message: 'must be a whole number, 0 or more' };
  const startIntervalMs = raw.start_interval === undefined ? undefined : durationMs(raw.start_interval);
  const check = {
    kind: 'command' as const,
    intervalMs: timing.intervalMs as number,
    timeoutMs: timing.timeoutMs as number,
    startPeriodMs: timing.startPeriodMs as number,
    retries,
    ...(startIntervalMs === undefined ? {} : { startIntervalMs }),
  };
  const test = raw.test;
  if (test === undefined) return { ok: true, healthCheck: check };
  if (typeof test === 'string') return { ok: true, healthCheck: { ...check, test: { kind: 'shell', command: test } } };
  const [form, ...rest] = test;
  switch (form) {
    case 'NONE':
      return { ok: true, healthCheck: { kind: 'none' } };
    case 'CMD':
      if (rest.length === 0) return { ok: false, key: 'test', message: 'names no command after CMD: write ["CMD", "program", "arg", …]' };
      return { ok: true, healthCheck: { ...check, test: { kind: 'exec', argv: rest } } };
    case 'CMD-SHELL':
      if (rest.length === 0) return { ok: false, key: 'test', message: 'names no command after CMD-SHELL: write ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]' };
      return { ok: true, healthCheck: { ...check, test: { kind: 'shell', command: rest.join(' ') } } };
    default:
      return {
        ok: false,
        key: 'test',
        message: `starts with "${form ?? ''}": a list must start with CMD, CMD-SHELL or NONE (or write the command as one string, run by the shell)`,
      };
  }
};
