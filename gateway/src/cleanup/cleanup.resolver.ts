import { GraphQLError } from 'graphql';
import { ulid } from 'ulid';
import { newCommandMetadata, sendCommand } from '@slipway/messaging';
import { RunCleanup } from '@slipway/proto';
import { instanceOwner, type OperationRules } from '../auth/operation-rules';
import { asGraphqlError, badInput } from '../command-errors';
import type { GatewayContext } from '../gateway-context';
import { awaitView } from '../read-models/await-view';
import { strip } from '../read-models/projection-runner';
import type { CleanupRunView } from './cleanup.projection';

const runs = async (ctx: GatewayContext) => (await ctx.readStore.db()).collection<CleanupRunView & { _id: string }>('cleanup_runs');

export const cleanupResolvers = {
  Query: {
    cleanupRuns: async (_: unknown, { first }: { first?: number | null }, ctx: GatewayContext) => {
      const limit = first ?? 10;
      if (limit < 1 || limit > 100) throw badInput('first must be between 1 and 100', 'first');
      const docs = await (await runs(ctx)).find({}).sort({ startedAt: -1, _id: -1 }).limit(limit).toArray();
      return docs.map((d) => strip(d) as CleanupRunView);
    },
    cleanupRun: async (_: unknown, { id }: { id: string }, ctx: GatewayContext) => {
      const doc = await (await runs(ctx)).findOne({ _id: id });
      return doc ? (strip(doc) as CleanupRunView) : null;
    },
  },
  Mutation: {
    runCleanup: async (_: unknown, { dryRun }: { dryRun: boolean }, ctx: GatewayContext) => {
      const runId = `cl_${ulid().toLowerCase()}`;
      await sendCommand(ctx.platform.connection, RunCleanup, { runId, dryRun }, newCommandMetadata(ctx.actor)).catch(asGraphqlError);
      const run = await awaitView<CleanupRunView>(ctx, 'cleanup_runs', runId);
      if (!run) throw new GraphQLError(`Clean-up ${runId} started, but its report is not readable yet: ask for cleanupRun(id: "${runId}") in a moment`, { extensions: { code: 'NOT_READY' } });
      return run;
    },
  },
};

export const cleanupRules: OperationRules = {
  'Query.cleanupRuns': instanceOwner('read the clean-up reports'),
  'Query.cleanupRun': instanceOwner('read the clean-up reports'),
  'Mutation.runCleanup': instanceOwner('run a clean-up'),
};
