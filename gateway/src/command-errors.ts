import { GraphQLError } from 'graphql';
import { CommandRejected } from '@slipway/messaging';

/** A refused command becomes a GraphQL error with the service's message, code and field. */
export const asGraphqlError = (err: unknown): never => {
  if (err instanceof CommandRejected) {
    throw new GraphQLError(err.message, { extensions: { code: err.code, ...(err.field ? { field: err.field.replace(/^data\./, '') } : {}) } });
  }
  throw err;
};

export const badInput = (message: string, field: string): GraphQLError =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
