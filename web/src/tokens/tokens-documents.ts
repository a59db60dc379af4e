import { gql } from '../graphql';

export const TokensQuery = gql(`
  query TokensPage { apiTokens { id name scopes createdAt expiresAt revokedAt } }
`);

export const TokensCreate = gql(`
  mutation TokensCreate($name: String!, $scopes: [TokenScope!]!, $expiresAt: String) {
    createApiToken(name: $name, scopes: $scopes, expiresAt: $expiresAt) { token apiToken { id name scopes createdAt expiresAt revokedAt } }
  }
`);

export const TokensRevoke = gql(`mutation TokensRevoke($id: ID!) { revokeApiToken(id: $id) }`);
