import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../gateway-context';
import { projectArg, type OperationRule, type OperationRules } from './operation-rules';
import { demand, demandInstanceOwner, unauthenticated } from './principal';

/** "Query.projects", "Mutation.deployService", … for every root field of the schema. */
export const operationNames = (schema: GraphQLSchema): string[] =>
  [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
    type ? Object.keys(type.getFields()).map((field) => `${type.name}.${field}`) : [],
  );

export const checkRule = async (rule: OperationRule, args: Record<string, unknown>, ctx: GatewayContext): Promise<void> => {
  switch (rule.kind) {
    case 'public':
      return;
    case 'signed-in':
      if (!ctx.principal) throw unauthenticated();
      return;
    case 'instance-owner':
      return demandInstanceOwner(ctx.principal, rule.what);
    case 'project': {
      if (!ctx.principal) throw unauthenticated();
      demand(ctx.principal, rule.permission, await rule.projectOf(args, ctx));
      return;
    }
    case 'project-or-instance':
      if (args[rule.projectArg] == null) return demandInstanceOwner(ctx.principal, rule.what);
      return checkRule({ kind: 'project', permission: rule.permission, projectOf: projectArg(rule.projectArg) }, args, ctx);
  }
};

const guarded =
  <S, A extends Record<string, unknown>>(rule: OperationRule, next: GraphQLFieldResolver<S, GatewayContext, A>): GraphQLFieldResolver<S, GatewayContext, A> =>
  async (source, args, ctx, info) => {
    await checkRule(rule, args, ctx);
    return next(source, args, ctx, info);
  };

/**
 * A subscription is authorised again at every event, against the connection's principal as it is
 * now: a member removed, or whose role no longer allows it, gets nothing more, and the
 * subscription ends with the refusal (the first check only holds when it subscribes).
 */
const guardedSubscription =
  <S, A extends Record<string, unknown>>(rule: OperationRule, next: GraphQLFieldResolver<S, GatewayContext, A>): GraphQLFieldResolver<S, GatewayContext, A> =>
  async (source, args, ctx, info) => {
    await checkRule(rule, args, ctx);
    const events = (await next(source, args, ctx, info)) as AsyncIterable<unknown>;
    if (!ctx.livePrincipal) return events;
    const live = ctx.livePrincipal;
    const source$ = events[Symbol.asyncIterator]();
    // By hand, not an async generator: a generator waiting for the next event would hold back the
    // client's unsubscribe (return) until that event came, and a quiet subscription would never end.
    const checked: AsyncIterableIterator<unknown> = {
      [Symbol.asyncIterator]: () => checked,
      next: async () => {
        const result = await source$.next();
        if (result.done) return result;
        try {
          await checkRule(rule, args, { ...ctx, principal: live() });
        } catch (err) {
          await source$.return?.();
          throw err;
        }
        return result;
      },
      return: (value?: unknown) => source$.return?.(value) ?? Promise.resolve({ done: true as const, value }),
      throw: (err?: unknown) => source$.throw?.(err) ?? Promise.reject(err),
    };
    return checked;
  };

/**
 * Every root field checks its rule before it resolves (or, for a subscription, before it
 * subscribes, and again at each event). A field without a rule stops the gateway from starting:
 * nothing is open by accident.
 */
export const authorizeSchema = (schema: GraphQLSchema, rules: OperationRules): GraphQLSchema => {
  const missing = operationNames(schema).filter((name) => !rules[name]);
  if (missing.length) throw new Error(`No authorisation rule for ${missing.join(', ')}: add one next to its resolver`);
  const unknown = Object.keys(rules).filter((name) => !operationNames(schema).includes(name));
  if (unknown.length) throw new Error(`Authorisation rules for operations the schema does not have: ${unknown.join(', ')}`);
  return mapSchema(schema, {
    [MapperKind.ROOT_FIELD]: (field, fieldName, typeName) => {
      const rule = rules[`${typeName}.${fieldName}`]!;
      if (typeName === schema.getSubscriptionType()?.name) {
        return { ...field, subscribe: guardedSubscription(rule, field.subscribe ?? defaultFieldResolver) };
      }
      return { ...field, resolve: guarded(rule, field.resolve ?? defaultFieldResolver) };
    },
  });
};
