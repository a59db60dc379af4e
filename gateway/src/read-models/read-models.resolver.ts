import { instanceOwner, type OperationRules } from '../auth/operation-rules';
import { badInput } from '../command-errors';
import type { GatewayContext } from '../gateway-context';

export const readModelsResolvers = {
  Query: {
    readModels: (_: unknown, __: unknown, ctx: GatewayContext) => [...ctx.projections.keys()].sort(),
  },
  Mutation: {
    rebuildReadModel: async (_: unknown, { name }: { name: string }, ctx: GatewayContext) => {
      const live = ctx.projections.get(name);
      if (!live) throw badInput(`No read model "${name}" (there are: ${[...ctx.projections.keys()].sort().join(', ')})`, 'name');
      const started = Date.now();
      const result = await live.runner.rebuild();
      return { name, ...result, seconds: (Date.now() - started) / 1000 };
    },
  },
};

export const readModelsRules: OperationRules = {
  'Query.readModels': instanceOwner('list read models'),
  'Mutation.rebuildReadModel': instanceOwner('rebuild read models'),
};
