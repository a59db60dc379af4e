import { GraphQLError } from 'graphql';
import { onProject, projectOfService, type OperationRules } from '../auth/operation-rules';
import { ServiceLogsInputError, type ServiceLogsRequest } from './service-logs.query';
import { readServiceLogPage, tailServiceLogs } from './victorialogs.reader';

export const serviceLogsResolvers = {
  Query: {
    serviceLogs: async (_: unknown, args: ServiceLogsRequest) => {
      try {
        return await readServiceLogPage(args);
      } catch (err) {
        if (err instanceof ServiceLogsInputError) throw new GraphQLError(err.message, { extensions: { code: 'BAD_USER_INPUT', field: err.field } });
        throw err;
      }
    },
  },
  Subscription: {
    serviceLogLines: {
      subscribe: async function* (_: unknown, { serviceId }: { serviceId: string }) {
        for await (const line of tailServiceLogs(serviceId)) yield { serviceLogLines: line };
      },
    },
  },
};

/**
 * An app's output can hold what its deployment log can (tokens printed by mistake, users' data):
 * the same permission, read-logs (developer and up, a read or deploy token; ADR 0008).
 */
export const serviceLogsRules: OperationRules = {
  'Query.serviceLogs': onProject('read-logs', projectOfService('serviceId')),
  'Subscription.serviceLogLines': onProject('read-logs', projectOfService('serviceId')),
};
