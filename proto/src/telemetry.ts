import { z } from 'zod';

/** One line of a build or runtime log: telemetry on platform.logs.<deploymentId>, not a domain event. */
export const logLineSchema = z.object({
  timestamp: z.iso.datetime(),
  stream: z.enum(['stdout', 'stderr', 'system']),
  message: z.string(),
});
export type LogLine = z.infer<typeof logLineSchema>;

/** Logs are kept 7 days and at most 2 GiB in all: enough to read a failure, never a disk filler. */
export const LOG_STREAM = { name: 'LOGS', subjects: ['platform.logs.>'], maxAgeMs: 7 * 24 * 3600_000, maxBytes: 2 * 1024 ** 3 };
