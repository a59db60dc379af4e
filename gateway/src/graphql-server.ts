import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { json, type Express } from 'express';
import type { PlatformConnection } from '@slipway/messaging';
import { healthTypeDefs } from './health/health.schema';
import { readHealth } from './health/health.reader';
import type { ReadStore } from './read-store';

/** Apollo Server on /graphql of the gateway's HTTP server (same origin as the console). */
export const mountGraphql = async (app: Express, platform: PlatformConnection, readStore: ReadStore) => {
  const server = new ApolloServer({
    typeDefs: [healthTypeDefs],
    resolvers: { Query: { health: () => readHealth(platform, readStore) } },
    introspection: true,
  });
  await server.start();
  // Mounted before Nest's own body parser exists, so it parses (and bounds) its own bodies.
  app.use('/graphql', json({ limit: '1mb' }), expressMiddleware(server));
  return server;
};
