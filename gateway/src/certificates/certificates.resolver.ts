import type { GatewayContext } from '../gateway-context';
import type { ServiceView } from '../projects/projects.projection';
import type { ServiceCertificatesView } from './certificates.projection';

/** No root operation of its own: a service's certificates are read with the service, under its rule. */
export const certificatesResolvers = {
  Service: {
    certificates: async (service: ServiceView, _: unknown, ctx: GatewayContext) => {
      const doc = await (await ctx.readStore.db()).collection<ServiceCertificatesView & { _id: string }>('certificates').findOne({ _id: service.id });
      return doc?.certificates ?? [];
    },
  },
};
