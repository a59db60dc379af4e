import { instanceOwner, onProject, projectOfService, type OperationRules } from '../auth/operation-rules';
import { badInput } from '../command-errors';
import { hostQueries, mergePoints, MetricsRangeError, serviceQueries, timeRange } from './metrics-query';
import { VictoriaMetricsReader } from './victoria-metrics.reader';

type Range = { from: string; to: string; step?: number | null };

const reader = new VictoriaMetricsReader();

const rangeOf = ({ from, to, step }: Range) => {
  try {
    return timeRange(from, to, step);
  } catch (err) {
    if (err instanceof MetricsRangeError) throw badInput(err.message, err.field);
    throw err;
  }
};

export const metricsResolvers = {
  Query: {
    serviceMetrics: async (_: unknown, args: Range & { serviceId: string }) => {
      const range = rangeOf(args);
      const points = mergePoints(await reader.queryAll(serviceQueries(args.serviceId, range.step), range));
      return points.map((p) => ({ ...p, restarts: Math.round(p.restarts) }));
    },
    hostMetrics: async (_: unknown, args: Range) => {
      const range = rangeOf(args);
      return mergePoints(await reader.queryAll(hostQueries(range.step), range));
    },
  },
};

/** Whoever may read the service may read its metrics; the host's are the instance owner's. */
export const metricsRules: OperationRules = {
  'Query.serviceMetrics': onProject('read', projectOfService('serviceId')),
  'Query.hostMetrics': instanceOwner('read the host metrics'),
};
