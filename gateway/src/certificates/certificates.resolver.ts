import { onProject, projectOfService, type OperationRules } from '../auth/operation-rules';
import type { GatewayContext } from '../gateway-context';
import type { ServiceCertificatesView } from './certificates.projection';

export const certificatesResolvers = {
  Query: {
    certificates: async (_: unknown, { serviceId }: { serviceId: string }, ctx: GatewayContext) => {
      const doc = await (await ctx.readStore.db()).collection<ServiceCertificatesView & { _id: string }>('certificates').findOne({ _id: serviceId });
      return doc?.certificates ?? [];
    },
  },
};

/** Whoever may read the service may read its certificates. */
export const certificatesRules: OperationRules = {
  'Query.certificates': onProject('read', projectOfService('serviceId')),
};
