import type { Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { json, type Express } from 'express';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { PlatformConnection } from '@slipway/messaging';
import { auditResolvers } from './audit/audit-log.resolver';
import { auditTypeDefs } from './audit/audit-log.schema';
import { deploymentsResolvers } from './deployments/deployments.resolver';
import { deploymentsTypeDefs } from './deployments/deployments.schema';
import type { GatewayContext } from './gateway-context';
import { healthTypeDefs } from './health/health.schema';
import { readHealth } from './health/health.reader';
import { projectsResolvers } from './projects/projects.resolver';
import { projectsTypeDefs } from './projects/projects.schema';
import type { LiveProjections } from './read-models/projections';
import { readModelsResolvers } from './read-models/read-models.resolver';
import { readModelsTypeDefs } from './read-models/read-models.schema';
import type { ReadStore } from './read-store';
import { serviceSettingsResolvers, serviceSettingsTypeDefs } from './service-settings';

// Until users and sessions exist (the gateway issue), every request acts as the local operator.
const localOperator = { kind: 'user', id: 'local-operator' } as const;

/**
 * Apollo Server on /graphql (queries, mutations) and graphql-ws on the same path (subscriptions),
 * on the gateway's HTTP server: one origin with the console.
 */
export const mountGraphql = async (app: Express, httpServer: Server, platform: PlatformConnection, readStore: ReadStore, projections: LiveProjections) => {
  const schema = makeExecutableSchema<GatewayContext>({
    typeDefs: [healthTypeDefs, projectsTypeDefs, deploymentsTypeDefs, readModelsTypeDefs, auditTypeDefs, serviceSettingsTypeDefs],
    resolvers: [
      { Query: { health: () => readHealth(platform, readStore) } },
      projectsResolvers,
      deploymentsResolvers,
      readModelsResolvers,
      auditResolvers,
      serviceSettingsResolvers,
    ],
  });
  const context = async (): Promise<GatewayContext> => ({ platform, readStore, actor: localOperator, projections });

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = useServer({ schema, context }, wsServer);

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
  app.use('/graphql', json({ limit: '1mb' }), expressMiddleware(server, { context }));
  return server;
};
