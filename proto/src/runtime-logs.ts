/**
 * Runtime logs (the apps' own stdout and stderr) as they are kept in VictoriaLogs: the metrics
 * service writes them, the gateway reads them. Not events: they never enter the event store.
 */

/** One line per record; these fields name its log stream (one stream per container). */
export const RUNTIME_LOG_STREAM_FIELDS = ['project', 'service', 'serviceId', 'task', 'replica', 'container'] as const;
export type RuntimeLogStreamField = (typeof RUNTIME_LOG_STREAM_FIELDS)[number];

export interface RuntimeLogRecord extends Record<RuntimeLogStreamField, string> {
  _msg: string;
  /** RFC 3339 with nanoseconds, as Docker stamped the line. */
  _time: string;
  stream: 'stdout' | 'stderr';
}

/** The container label every app container carries: the Slipway service (or preview copy) id. */
export const SERVICE_ID_LABEL = 'slipway.service';
export const PROJECT_ID_LABEL = 'slipway.project';

/** Where VictoriaLogs listens (infra/scripts/victorialogs.sh; loopback only, it has no authentication). */
export const victoriaLogsUrl = (configured: string | undefined): string => (configured || 'http://127.0.0.1:9428').replace(/\/$/, '');
