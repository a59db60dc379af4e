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
  /** Answers being computed: the same question asked meanwhile waits for it instead of computing it again. */
  const computing = new Map<string, { version: number; done: Promise<FormattedExecutionResult | undefined> }>();
  const keyOf = (ctx: GatewayContext, source: string, variables: unknown) =>
    createHash('sha256').update(`${ctx.principal?.userId ?? '-'}\n${source}\n${JSON.stringify(variables ?? {})}`).digest('hex');

  return {
    async requestDidStart() {
      let key: string | undefined;
      let version = 0;
      let finish: ((result: FormattedExecutionResult | undefined) => void) | undefined;
      return {
        async responseForOperation({ operation, request, contextValue }): Promise<GraphQLResponse | null> {
          const roots = operation.selectionSet.selections;
          const cacheable =
            operation.operation === 'query' && roots.every((s) => s.kind === 'Field' && cacheableRootFields.has(s.name.value)) && request.query !== undefined;
          if (!cacheable) return null;
          key = keyOf(contextValue, request.query!, request.variables);
          version = contextValue.views.version;
          const answer = (result: FormattedExecutionResult): GraphQLResponse => ({ http: { headers: new HeaderMap(), status: 200 }, body: { kind: 'single', singleResult: result } });
          const hit = entries.get(key);
          if (hit?.version === version) {
            entries.delete(key); // re-insert: most recently used last
            entries.set(key, hit);
            return answer(hit.result);
          }
          const pending = computing.get(key);
          if (pending?.version === version) {
            const result = await Promise.race([pending.done, new Promise<undefined>((r) => setTimeout(() => r(undefined), 5_000).unref())]);
            if (result) return answer(result);
            return null;
          }
          computing.set(key, { version, done: new Promise((resolve) => (finish = resolve)) });
          return null;
        },
        async willSendResponse({ response }) {
          if (!key || !finish) return; // not cacheable, or answered from the cache
          const result = response.body.kind === 'single' && !response.body.singleResult.errors ? response.body.singleResult : undefined;
          if (computing.get(key)?.version === version) computing.delete(key);
          finish(result);
          if (!result) return;
          entries.set(key, { version, result });
          if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
        },
      };
    },
  };
};

const serialised = new WeakMap<object, string>();

/**
 * Apollo's result serialiser, remembering the JSON of a cached answer's data: serialising the
 * 130 KiB projects page took a good part of each cached answer's time.
 */
export const stringifyResult = (value: FormattedExecutionResult): string => {
  if (value.errors || value.extensions || !value.data) return JSON.stringify(value) + '\n';
  let json = serialised.get(value.data);
  if (json === undefined) serialised.set(value.data, (json = JSON.stringify({ data: value.data }) + '\n'));
  return json;
};
