import type { Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { json, type Express } from 'express';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { PlatformConnection } from '@slipway/messaging';
import type { Actor } from '@slipway/proto';
import { auditResolvers, auditRules } from './audit/audit-log.resolver';
import { authorizeSchema } from './auth/authorize-schema';
import { publicOperation } from './auth/operation-rules';
import type { Principal } from './auth/principal';
import { readPrincipal, tokenOf } from './auth/principal.reader';
import { auditTypeDefs } from './audit/audit-log.schema';
import { deploymentsResolvers, deploymentsRules } from './deployments/deployments.resolver';
import { deploymentsTypeDefs } from './deployments/deployments.schema';
import type { GatewayContext } from './gateway-context';
import { healthTypeDefs } from './health/health.schema';
import { readHealth } from './health/health.reader';
import { identityResolvers, identityRules } from './identity/identity.resolver';
import { identityTypeDefs } from './identity/identity.schema';
import { projectsResolvers, projectsRules } from './projects/projects.resolver';
import { projectsTypeDefs } from './projects/projects.schema';
import type { LiveProjections } from './read-models/projections';
import { readModelsResolvers, readModelsRules } from './read-models/read-models.resolver';
import { readModelsTypeDefs } from './read-models/read-models.schema';
import type { ReadStore } from './read-store';

/** Who the events say did it: the user, or the user's API token. */
const actorOf = (principal: Principal | null): Actor =>
  !principal
    ? { kind: 'user', id: 'anonymous' }
    : principal.credential.kind === 'api-token'
      ? { kind: 'token', id: `${principal.userId}/${principal.credential.id}` }
      : { kind: 'user', id: principal.userId };

export const buildSchema = () =>
  authorizeSchema(
    makeExecutableSchema<GatewayContext>({
      typeDefs: [healthTypeDefs, projectsTypeDefs, deploymentsTypeDefs, readModelsTypeDefs, auditTypeDefs, identityTypeDefs],
      resolvers: [
        { Query: { health: (_: unknown, __: unknown, ctx: GatewayContext) => readHealth(ctx.platform, ctx.readStore) } },
        projectsResolvers,
        deploymentsResolvers,
        readModelsResolvers,
        auditResolvers,
        identityResolvers,
      ],
    }),
    { 'Query.health': publicOperation, ...projectsRules, ...deploymentsRules, ...readModelsRules, ...auditRules, ...identityRules },
  );

/**
 * Apollo Server on /graphql (queries, mutations) and graphql-ws on the same path (subscriptions),
 * on the gateway's HTTP server: one origin with the console.
 */
export const mountGraphql = async (app: Express, httpServer: Server, platform: PlatformConnection, readStore: ReadStore, projections: LiveProjections) => {
  const schema = buildSchema();
  const base = { platform, readStore, projections };
  const contextFor = async (principal: Principal | null, http?: GatewayContext['http']): Promise<GatewayContext> => ({
    ...base,
    principal,
    actor: actorOf(principal),
    http,
  });

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  // graphql-ws authenticates once, on connection_init (connectionParams.authorization or the
  // session cookie of the upgrade request); a connection without valid credentials is closed.
  const wsCleanup = useServer<Record<string, unknown>, { principal?: Principal | null }>(
    {
      schema,
      onConnect: async (ws) => {
        const principal = await readPrincipal(readStore, tokenOf(ws.extra.request.headers, ws.connectionParams));
        if (!principal) {
          // The close reason is what a client shows: say what to send (≤ 123 bytes in a close frame).
          ws.extra.socket.close(4403, 'Sign in first: send connectionParams.authorization "Bearer <token>" or the session cookie');
          return false;
        }
        ws.extra.principal = principal;
        return true;
      },
      context: (ws) => contextFor(ws.extra.principal ?? null),
    },
    wsServer,
  );

  const server = new ApolloServer<GatewayContext>({
    schema,
    introspection: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { serverWillStart: async () => ({ drainServer: async () => void (await wsCleanup.dispose()) }) },
    ],
  });
  await server.start();
  // Mounted before Nest's own body parser exists, so it parses (and bounds) its own bodies.
  app.use(
    '/graphql',
    json({ limit: '1mb' }),
    expressMiddleware(server, {
      context: async ({ req, res }) => contextFor(await readPrincipal(readStore, tokenOf(req.headers)), { req, res }),
    }),
  );
  return server;
};
