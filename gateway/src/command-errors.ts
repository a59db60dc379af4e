import { GraphQLError } from 'graphql';
import { CommandRejected, DomainError, plainRefusal } from '@slipway/messaging';
import { InvalidEventPayload } from '@slipway/proto';

const withField = (field: string | undefined) => (field ? { field: field.replace(/^data\./, '') } : {});

/** A refused command (over NATS, or decided here in the gateway) becomes a GraphQL error with its message, code and field. */
export const asGraphqlError = (err: unknown): never => {
  if (err instanceof CommandRejected || err instanceof DomainError) {
    throw new GraphQLError(err.message, { extensions: { code: err.code, ...withField(err.field) } });
  }
  if (err instanceof InvalidEventPayload) {
    throw new GraphQLError(plainRefusal(err.field, err.problem), { extensions: { code: 'BAD_USER_INPUT', field: err.field } });
  }
  throw err;
};

export const badInput = (message: string, field: string): GraphQLError =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
