import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import type { GatewayContext } from '../gateway-context';

/** Queries whose answers come whole from read models, and are asked again and again (every console tab). */
const cacheableRootFields = new Set(['projects']);
const MAX_ENTRIES = 200;

/**
 * Answers a repeated query with the result computed for the same caller, the same document and
 * variables, as long as no read model has changed since (ViewCache.version: any announcement from
 * any gateway, or a reload). Executing the `projects` page over 1,000 services costs ~20 ms of
 * CPU in graphql-js; answering it again costs nothing. Who is asking is resolved before this, per
 * request, so a revoked token never gets a cached answer.
 */
export const responseCachePlugin = (): ApolloServerPlugin<GatewayContext> => {
  const entries = new Map<string, { version: number; result: FormattedExecutionResult }>();
  const keyOf = (ctx: GatewayContext, source: string, variables: unknown) =>
    createHash('sha256').update(`${ctx.principal?.userId ?? '-'}\n${source}\n${JSON.stringify(variables ?? {})}`).digest('hex');

  return {
    async requestDidStart() {
      let key: string | undefined;
      let version = 0;
      return {
        async responseForOperation({ operation, request, contextValue }): Promise<GraphQLResponse | null> {
          const roots = operation.selectionSet.selections;
          const cacheable =
            operation.operation === 'query' && roots.every((s) => s.kind === 'Field' && cacheableRootFields.has(s.name.value)) && request.query !== undefined;
          if (!cacheable) return null;
          key = keyOf(contextValue, request.query!, request.variables);
          version = contextValue.views.version;
          const hit = entries.get(key);
          if (!hit || hit.version !== version) return null;
          entries.delete(key); // re-insert: most recently used last
          entries.set(key, hit);
          return { http: { headers: new HeaderMap(), status: 200 }, body: { kind: 'single', singleResult: hit.result } };
        },
        async willSendResponse({ response }) {
          if (!key || response.body.kind !== 'single' || response.body.singleResult.errors) return;
          if (entries.get(key)?.version === version) return;
          entries.set(key, { version, result: response.body.singleResult });
          if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
        },
      };
    },
  };
};
