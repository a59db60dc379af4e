import { GraphQLError } from 'graphql';
import { newCommandMetadata, sendCommand } from '@slipway/messaging';
import { SetDefaultQuota, SetProjectQuota, type QuotaLimits } from '@slipway/proto';
import { instanceOwner, onProject, projectArg, signedIn, type OperationRules } from '../auth/operation-rules';
import { asGraphqlError } from '../command-errors';
import type { GatewayContext } from '../gateway-context';
import { VictoriaMetricsReader } from '../metrics/victoria-metrics.reader';
import { awaitView } from '../read-models/await-view';
import { strip } from '../read-models/projection-runner';
import { usedBy, type QuotaView } from './quota.projection';

const metrics = new VictoriaMetricsReader();
const MIB = 1024 * 1024;

type LimitsInput = { [K in keyof QuotaLimits]?: QuotaLimits[K] | null };
/** GraphQL's nulls are "no limit": left out of the limits. */
const limitsOf = (input: LimitsInput): QuotaLimits => Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined)) as QuotaLimits;
const sameLimits = (a: QuotaLimits | undefined, b: QuotaLimits) => JSON.stringify(a ?? {}) === JSON.stringify(b);

const quotaOf = async (ctx: GatewayContext, id: string): Promise<QuotaView | null> => {
  const doc = await (await ctx.readStore.db()).collection<QuotaView & { _id: string }>('quotas').findOne({ _id: id });
  return doc ? (strip(doc) as QuotaView) : null;
};

/** The project's volumes as measured last minute; null when the metrics store does not answer. */
const storageUsedMb = async (projectId: string): Promise<number | null> => {
  const bytes = await metrics.queryValue(`sum(last_over_time(slipway_volume_bytes{project="${projectId}"}[5m]))`);
  return bytes === null ? null : Math.round(((bytes ?? 0) / MIB) * 10) / 10;
};

const usageOf = async (ctx: GatewayContext, projectId: string, quota?: QuotaView | null) => {
  const [own, defaults, storage] = await Promise.all([quota === undefined ? quotaOf(ctx, projectId) : quota, quotaOf(ctx, 'default'), storageUsedMb(projectId)]);
  const limits = own?.limits ?? defaults?.limits ?? {};
  const used = usedBy(own?.held ?? {});
  const use = (u: number | null, limit?: number) => ({ used: u, limit: limit ?? null });
  return {
    projectId,
    cpu: use(used.cpu, limits.cpu),
    memoryMb: use(used.memoryMb, limits.memoryMb),
    replicas: use(used.replicas, limits.replicas),
    previews: use(used.previews, limits.previews),
    storageMb: use(storage, limits.storageMb),
    ownLimits: Boolean(own?.limits),
  };
};

export const quotaResolvers = {
  Query: {
    projectUsage: (_: unknown, { projectId }: { projectId: string }, ctx: GatewayContext) => usageOf(ctx, projectId),
    defaultProjectQuota: async (_: unknown, __: unknown, ctx: GatewayContext) => (await quotaOf(ctx, 'default'))?.limits ?? {},
  },
  Mutation: {
    setProjectQuota: async (_: unknown, { projectId, input }: { projectId: string; input: LimitsInput }, ctx: GatewayContext) => {
      const limits = limitsOf(input);
      await sendCommand(ctx.platform.connection, SetProjectQuota, { projectId, limits }, newCommandMetadata(ctx.actor)).catch(asGraphqlError);
      const view = await awaitView<QuotaView>(ctx, 'quotas', projectId, (q) => sameLimits(q.limits, limits));
      if (!view || !sameLimits(view.limits, limits)) throw new GraphQLError('The limits were set but are not readable yet; query projectUsage again in a moment');
      return usageOf(ctx, projectId, view);
    },
    setDefaultProjectQuota: async (_: unknown, { input }: { input: LimitsInput }, ctx: GatewayContext) => {
      const limits = limitsOf(input);
      await sendCommand(ctx.platform.connection, SetDefaultQuota, { limits }, newCommandMetadata(ctx.actor)).catch(asGraphqlError);
      const view = await awaitView<QuotaView>(ctx, 'quotas', 'default', (q) => sameLimits(q.limits, limits));
      if (!view || !sameLimits(view.limits, limits)) throw new GraphQLError('The default limits were set but are not readable yet; query defaultProjectQuota again in a moment');
      return view.limits;
    },
  },
};

export const quotaRules: OperationRules = {
  'Query.projectUsage': onProject('read', projectArg('projectId')),
  'Query.defaultProjectQuota': signedIn,
  'Mutation.setProjectQuota': instanceOwner('set a project’s limits'),
  'Mutation.setDefaultProjectQuota': instanceOwner('set the default project limits'),
};
