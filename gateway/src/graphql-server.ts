import type { Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { json, type Express } from 'express';
import { useServer } from 'graphql-ws/use/ws';
import { specifiedRules, validate } from 'graphql';
import { WebSocketServer } from 'ws';
import type { Actor } from '@slipway/proto';
import type { Principal } from './auth/principal';
import { LiveSessions } from './auth/live-sessions';
import { readPrincipal, tokenOf } from './auth/principal.reader';
import type { GatewayContext } from './gateway-context';
import { buildSchema } from './gateway-schema';
import { responseCachePlugin, stringifyResult } from './read-models/response-cache.plugin';
import { graphqlBodyErrors } from './abuse/body-limit';
import { nameInputField } from './abuse/input-field-errors';
import { keepQueryLimitCodes, queryLimitRules } from './abuse/query-limits';
import { compressedAnswers } from './http/compressed-answers';

/** Who the events say did it: the user, or the user's API token. */
const actorOf = (principal: Principal | null): Actor =>
  !principal
    ? { kind: 'user', id: 'anonymous' }
    : principal.credential.kind === 'api-token'
      ? { kind: 'token', id: `${principal.userId}/${principal.credential.id}` }
      : { kind: 'user', id: principal.userId };

/**
 * Apollo Server on /graphql (queries, mutations) and graphql-ws on the same path (subscriptions),
 * on the gateway's HTTP server: one origin with the console.
 */
export const mountGraphql = async (
  app: Express,
  httpServer: Server,
  base: Pick<GatewayContext, 'platform' | 'readStore' | 'projections' | 'views' | 'health'>,
) => {
  const { views } = base;
  const schema = buildSchema();
  const limits = queryLimitRules();
  const contextFor = async (principal: Principal | null, http?: GatewayContext['http']): Promise<GatewayContext> => ({
    ...base,
    principal,
    actor: actorOf(principal),
    http,
  });

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const liveSessions = new LiveSessions(views);
  // graphql-ws authenticates on connection_init (connectionParams.authorization or the session
  // cookie of the upgrade request); a connection without valid credentials is closed, and so is
  // one whose session ends later (LiveSessions).
  const wsCleanup = useServer<Record<string, unknown>, { principal?: Principal | null }>(
    {
      schema,
      validate: (s, document) => validate(s, document, [...specifiedRules, ...limits]),
      onConnect: async (ws) => {
        const token = tokenOf(ws.extra.request.headers, ws.connectionParams);
        const principal = await readPrincipal(views, token);
        if (!principal) {
          // The close reason is what a client shows: say what to send (≤ 123 bytes in a close frame).
          ws.extra.socket.close(4403, 'Sign in first: send connectionParams.authorization "Bearer <token>" or the session cookie');
          return false;
        }
        ws.extra.principal = principal;
        liveSessions.add(ws.extra.socket, ws.extra, token!);
        return true;
      },
      onClose: (ws) => liveSessions.remove(ws.extra.socket),
      context: async (ws) => ({ ...(await contextFor(ws.extra.principal ?? null)), livePrincipal: () => ws.extra.principal ?? null }),
    },
    wsServer,
  );

  const server = new ApolloServer<GatewayContext>({
    schema,
    introspection: true,
    // Apollo adds stack traces (with the server's file paths) unless NODE_ENV is production or
    // test, and npm start sets none: only a developer's own gateway shows them.
    includeStacktraceInErrorResponses: process.env.NODE_ENV === 'development',
    validationRules: limits,
    stringifyResult,
    formatError: (formatted, error) => nameInputField(keepQueryLimitCodes(formatted, error), error),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      responseCachePlugin(),
      { serverWillStart: async () => ({ drainServer: async () => (liveSessions.stop(), void (await wsCleanup.dispose())) }) },
    ],
  });
  await server.start();
  // Mounted before Nest's own body parser exists, so it parses (and bounds) its own bodies.
  app.use(
    '/graphql',
    compressedAnswers,
    json({ limit: '1mb' }),
    expressMiddleware(server, {
      context: async ({ req, res }) => contextFor(await readPrincipal(views, tokenOf(req.headers)), { req, res }),
    }),
  );
  app.use('/graphql', graphqlBodyErrors);
  return server;
};
