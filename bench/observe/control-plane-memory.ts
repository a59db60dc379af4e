/**
 * The control plane's extra memory for logs and metrics (issue 13: ≤ 100 MB together at idle), as
 * bench/observe counts it:
 *   extra = VictoriaLogs + VictoriaMetrics + (the metrics service − an empty service of ours)
 * An empty service is bootstrapService with a module that holds nothing, run from dist/ the way
 * run-service.sh runs every service (NestJS, the NATS connection and the health port): it is the
 * Node baseline every service pays, which issue 14's one-process mode shares, not the cost of logs
 * and metrics. Each figure is the median RSS of SAMPLES readings a second apart, so one reading taken
 * just before a garbage collection does not decide it.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { freePort, infraEnv, repoRoot, waitUntil } from '@slipway/testing';

export const SAMPLES = 5;

/** A figure of /proc/<pid>/status in kB (0 once the process is gone): VmRSS, or its file-backed part RssFile (the binary's pages). */
export const statusKb = (pid: number, field: 'VmRSS' | 'RssFile' | 'RssAnon') => {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
};
const rssKb = (pid: number) => statusKb(pid, 'VmRSS');

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The pids whose executable is the named binary (victoria-logs, victoria-metrics). */
const pidsOf = (binary: string) =>
  readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0].endsWith(`/${binary}`);
    } catch {
      return false;
    }
  });

/** Median RSS (kB) of each process group over SAMPLES readings a second apart. */
export const medianRss = async (groups: Record<string, () => number[]>) => {
  const readings: Record<string, number[]> = Object.fromEntries(Object.keys(groups).map((k) => [k, []]));
  for (let i = 0; i < SAMPLES; i++) {
    for (const [name, pids] of Object.entries(groups)) readings[name].push(pids().reduce((sum, pid) => sum + rssKb(pid), 0));
    if (i < SAMPLES - 1) await new Promise((r) => setTimeout(r, 1_000));
  }
  return Object.fromEntries(Object.entries(readings).map(([k, xs]) => [k, median(xs)]));
};

export interface ControlPlaneMemory {
  logs: number;
  metrics: number;
  service: number;
  /** Of the two stores' RSS, the pages of their executables (file-backed, shared with the page cache). */
  storesFile: number;
}

export const controlPlaneMemory = async (metricsPid: number): Promise<ControlPlaneMemory> => {
  const m = await medianRss({ logs: () => pidsOf('victoria-logs'), metrics: () => pidsOf('victoria-metrics'), service: () => [metricsPid] });
  const storesFile = [...pidsOf('victoria-logs'), ...pidsOf('victoria-metrics')].reduce((sum, pid) => sum + statusKb(pid, 'RssFile'), 0);
  return { logs: m.logs, metrics: m.metrics, service: m.service, storesFile };
};

/** The metrics service's name and credentials, with a module that holds nothing. */
const EMPTY_SERVICE = `
require('reflect-metadata');
const { Module } = require('@nestjs/common');
const { bootstrapService } = require('./dist/libs/messaging/src');
class EmptyModule {}
Module({})(EmptyModule);
void bootstrapService({ service: 'metrics', context: 'metrics', module: EmptyModule, healthPort: Number(process.env.HEALTH_PORT) });
`;

/**
 * Starts the empty service, lets it settle as long as the platform's services settle in the bench
 * (ready, then settleMs), reads its RSS and stops it. Run it before the platform starts: its
 * command subscription shares the metrics service's queue group.
 */
export const emptyServiceRss = async (settleMs: number): Promise<number> => {
  const port = await freePort();
  const env = infraEnv();
  // With run-service.sh's node flags, so that only the modules and their work differ.
  const child = spawn('node', ['--max-semi-space-size=2', '--optimize-for-size', '-e', EMPTY_SERVICE], {
    cwd: repoRoot,
    env: { ...process.env, NATS_URL: env.NATS_URL, MONGO_URL: env.MONGO_URL, HEALTH_PORT: String(port) },
    stdio: 'ignore',
  });
  try {
    await waitUntil('the empty service to be ready', async () => (await fetch(`http://127.0.0.1:${port}/health`)).status === 200, 30_000, 250);
    await new Promise((r) => setTimeout(r, settleMs));
    return (await medianRss({ service: () => [child.pid!] })).service;
  } finally {
    child.kill('SIGTERM');
  }
};

const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

/** The bench's memory line: the breakdown, the extra with its definition, and the target. */
export const memoryReport = (label: string, m: ControlPlaneMemory, emptyKb: number) => {
  const collectors = Math.max(0, m.service - emptyKb);
  const extra = m.logs + m.metrics + collectors;
  return [
    `  memory (${label}, median RSS of ${SAMPLES} readings)   victoria-logs ${mb(m.logs)} + victoria-metrics ${mb(m.metrics)} + metrics service ${mb(m.service)} = ${mb(m.logs + m.metrics + m.service)}`,
    `    extra for logs and metrics = the two stores + (metrics service ${mb(m.service)} − an empty service ${mb(emptyKb)}) = ${mb(extra)}   (target ≤ 100 MB: ${extra <= 100 * 1024 ? 'met' : 'NOT met'}; of the stores' RSS, ${mb(m.storesFile)} are their executables' pages)`,
  ];
};
