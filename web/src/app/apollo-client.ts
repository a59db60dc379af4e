import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient } from 'graphql-ws';

/**
 * Queries and mutations over HTTP, subscriptions over graphql-ws, both on the gateway's origin.
 * The session is the HttpOnly cookie: the browser sends it with both, nothing is kept in script.
 */
const http = new HttpLink({ uri: '/graphql', credentials: 'same-origin' });
const ws = new GraphQLWsLink(
  createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    lazy: true,
    retryAttempts: Infinity,
    // Signing in or out changes who the socket speaks for: the gateway closes a socket whose
    // session ended (4401), and this reconnects with whatever cookie the browser holds by then.
    shouldRetry: () => true,
  }),
);

export const apolloClient = new ApolloClient({
  link: ApolloLink.split(({ query }) => {
    const definition = getMainDefinition(query);
    return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
  }, ws, http),
  cache: new InMemoryCache(),
  // A page opened again shows what it had at once and what is true now a moment later: changes
  // made while it was closed were never announced to it.
  defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
});

/** After sign-in or sign-out: forget what the previous person could see. */
export const resetSession = async () => {
  await apolloClient.clearStore();
};
