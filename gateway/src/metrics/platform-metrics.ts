import { jetstreamManager } from '@nats-io/jetstream';
import type { Express, NextFunction, Request, Response } from 'express';
import { contexts, eventStreamName, renderSamples, type Sample } from '@slipway/proto';
import { readPrincipal } from '../auth/principal.reader';
import type { GatewayContext } from '../gateway-context';

/** Upper bounds (seconds) of the deployment duration histogram: a pull of an image to a long build. */
export const DURATION_BUCKETS = [5, 10, 30, 60, 120, 300, 600, 1800];

export interface DeploymentRow {
  status: string;
  createdAt?: string | null;
  finishedAt?: string | null;
}

const meta = {
  slipway_deployments_requested_total: { type: 'counter', help: 'Deployments requested.' },
  slipway_deployments_finished_total: { type: 'counter', help: 'Deployments finished, by outcome.' },
  slipway_deployments_in_progress: { type: 'gauge', help: 'Deployments queued, building or rolling out.' },
  slipway_deployment_duration_seconds: { type: 'histogram', help: 'From request to outcome, of finished deployments.' },
  slipway_events_appended_total: { type: 'counter', help: 'Events in the event store, by context.' },
  slipway_projection_events_applied_total: { type: 'counter', help: 'Events this gateway applied to its read models since it started.' },
  slipway_projection_lag_seconds: { type: 'gauge', help: 'How long after it happened the last applied event reached the read model.' },
} as const;

/** Counters and the duration histogram from the deployments read model (one scan of three fields). */
export const deploymentSamples = (rows: DeploymentRow[]): Sample[] => {
  const byStatus = new Map<string, number>();
  const durations: number[] = [];
  for (const row of rows) {
    byStatus.set(row.status, (byStatus.get(row.status) ?? 0) + 1);
    if (row.finishedAt && row.createdAt && (row.status === 'SUCCEEDED' || row.status === 'FAILED')) {
      durations.push(Math.max(0, (Date.parse(row.finishedAt) - Date.parse(row.createdAt)) / 1000));
    }
  }
  const count = (...statuses: string[]) => statuses.reduce((n, s) => n + (byStatus.get(s) ?? 0), 0);
  const name = 'slipway_deployment_duration_seconds';
  return [
    { name: 'slipway_deployments_requested_total', value: rows.length },
    ...['succeeded', 'failed', 'cancelled'].map((outcome) => ({ name: 'slipway_deployments_finished_total', labels: { outcome }, value: count(outcome.toUpperCase()) })),
    { name: 'slipway_deployments_in_progress', value: count('QUEUED', 'BUILDING', 'DEPLOYING') },
    ...DURATION_BUCKETS.map((le) => ({ name: `${name}_bucket`, labels: { le: String(le) }, value: durations.filter((d) => d <= le).length })),
    { name: `${name}_bucket`, labels: { le: '+Inf' }, value: durations.length },
    { name: `${name}_sum`, value: durations.reduce((a, b) => a + b, 0) },
    { name: `${name}_count`, value: durations.length },
  ];
};

/** Renders with TYPE/HELP lines; a histogram's series share its family's TYPE line. */
export const renderPlatformMetrics = (samples: Sample[]): string => {
  const family = (n: string) => n.replace(/_(bucket|sum|count)$/, '');
  const lines: string[] = [];
  let previous = '';
  for (const s of samples) {
    const f = (meta as Record<string, { type: string; help: string }>)[s.name] ? s.name : family(s.name);
    const m = (meta as Record<string, { type: string; help: string }>)[f];
    if (m && f !== previous) lines.push(`# HELP ${f} ${m.help}`, `# TYPE ${f} ${m.type}`);
    previous = f;
    lines.push(renderSamples([s]).trimEnd());
  }
  return `${lines.join('\n')}\n`;
};

type Base = Pick<GatewayContext, 'platform' | 'readStore' | 'projections' | 'views'>;

const collect = async ({ platform, readStore, projections }: Base): Promise<Sample[]> => {
  const db = await readStore.db();
  const rows = await db.collection<DeploymentRow>('deployments').find({}, { projection: { _id: 0, status: 1, createdAt: 1, finishedAt: 1 } }).toArray();
  const samples = deploymentSamples(rows);
  // The stores' sizes, where this gateway's NATS identity may read them; left out otherwise.
  const jsm = await jetstreamManager(platform.connection).catch(() => undefined);
  for (const context of contexts) {
    const info = await jsm?.streams.info(eventStreamName(context)).catch(() => undefined);
    if (info) samples.push({ name: 'slipway_events_appended_total', labels: { context }, value: info.state.messages });
  }
  for (const [name, { runner }] of projections) samples.push({ name: 'slipway_projection_events_applied_total', labels: { projection: name }, value: runner.progress.applied });
  for (const [name, { runner }] of projections) samples.push({ name: 'slipway_projection_lag_seconds', labels: { projection: name }, value: runner.progress.lagSeconds });
  return samples;
};

/**
 * GET /metrics in Prometheus text, for an existing Prometheus or Grafana. Never anonymous: it
 * takes `Authorization: Bearer <token>` of the instance owner (an API token of any scope, for a
 * scraper, or a session). The console has a page at /metrics too: a browser (asking for text/html)
 * without that header gets the console.
 */
export const mountPlatformMetrics = (app: Express, base: Base) => {
  app.get('/metrics', async (req: Request, res: Response, next: NextFunction) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    // Only a client that names text/html (a browser): curl and fetch send */*, Prometheus its own types.
    if (!bearer && /\btext\/html\b/.test(req.headers.accept ?? '')) return next();
    res.type('text/plain; charset=utf-8');
    if (!bearer) return void res.status(401).send('Send "Authorization: Bearer <token>" with an API token of the instance owner\n');
    const principal = await readPrincipal(base.views, bearer).catch(() => null);
    if (!principal) return void res.status(401).send('This token is not valid (expired, revoked or unknown): create an API token in the console\n');
    if (!principal.instanceOwner) return void res.status(403).send("Only the instance owner's tokens may read the platform's metrics\n");
    try {
      res.set('content-type', 'text/plain; version=0.0.4; charset=utf-8').send(renderPlatformMetrics(await collect(base)));
    } catch (err) {
      res.status(503).send(`The platform's metrics are unavailable right now: ${(err as Error).message}\n`);
    }
  });
};
