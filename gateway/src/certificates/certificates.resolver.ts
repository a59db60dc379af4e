import type { GatewayContext } from '../gateway-context';
import type { ServiceView } from '../projects/projects.projection';
import type { CertificateView, ServiceCertificatesView } from './certificates.projection';

/** One read per request, however many services it asks about (a page of projects lists them all). */
const perRequest = new WeakMap<GatewayContext, Promise<Map<string, CertificateView[]>>>();
const certificatesOf = (ctx: GatewayContext) => {
  let loaded = perRequest.get(ctx);
  if (!loaded) {
    loaded = (async () => {
      const docs = await (await ctx.readStore.db()).collection<ServiceCertificatesView & { _id: string }>('certificates').find({}).toArray();
      return new Map(docs.map((d) => [d._id, d.certificates]));
    })();
    perRequest.set(ctx, loaded);
  }
  return loaded;
};

/** No root operation of its own: a service's certificates are read with the service, under its rule. */
export const certificatesResolvers = {
  Service: {
    certificates: async (service: ServiceView, _: unknown, ctx: GatewayContext) => (await certificatesOf(ctx)).get(service.id) ?? [],
  },
};
