import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express, { json } from 'express';
import { buildSchema } from 'graphql';
import { graphqlBodyErrors } from './body-limit';
import { buildSchema as gatewaySchema } from '../gateway-schema';
import { nameInputField } from './input-field-errors';
import { keepQueryLimitCodes, queryLimitRules } from './query-limits';

/**
 * What a client gets for a body too large, a body that is not JSON, and malformed input — over
 * real HTTP, through Apollo and the same express json({ limit: '1mb' }) as graphql-server.ts.
 */
describe('/graphql answers bad requests with JSON errors that say what is wrong', () => {
  const formatError = (formatted: Parameters<typeof nameInputField>[0], error: unknown) => nameInputField(keepQueryLimitCodes(formatted, error), error);
  let server: Server;
  let apollo: ApolloServer;
  let url: string;

  beforeAll(async () => {
    apollo = new ApolloServer({ schema: gatewaySchema(), validationRules: queryLimitRules(), formatError });
    await apollo.start();
    const app = express();
    app.use('/graphql', json({ limit: '1mb' }), expressMiddleware(apollo));
    app.use('/graphql', graphqlBodyErrors);
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await apollo.stop();
  });

  const post = async (body: string | ReadableStream) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] } };
  };
  const graphql = (query: string, variables?: object) => post(JSON.stringify({ query, variables }));

  it('refuses a body over 1 MB with 413 and the limit, as JSON (Express alone answers an HTML stack trace)', async () => {
    const res = await graphql('mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }', { i: { name: 'x'.repeat(2 * 1024 ** 2) } });
    expect(res).toEqual({
      status: 413,
      type: 'application/json; charset=utf-8',
      body: {
        errors: [
          {
            message: 'The request body is 2 MB; /graphql accepts at most 1 MB. Send large files to POST /archives, not through GraphQL',
            extensions: { code: 'PAYLOAD_TOO_LARGE', limitBytes: 1024 ** 2 },
          },
        ],
      },
    });
  });

  it('refuses an over-size body sent without a length too, once it passes the limit', async () => {
    const chunk = new TextEncoder().encode(' '.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream({
      pull: (controller) => (sent++ < 32 ? controller.enqueue(chunk) : controller.close()),
    });
    const res = await post(stream);
    expect(res.status).toBe(413);
    expect(res.body.errors[0].message).toBe('The request body is larger than that; /graphql accepts at most 1 MB. Send large files to POST /archives, not through GraphQL');
  });

  it('refuses a body that is not JSON with 400, as JSON', async () => {
    expect(await post('{"query": ')).toEqual({
      status: 400,
      type: 'application/json; charset=utf-8',
      body: { errors: [{ message: 'The request body is not valid JSON: Unexpected end of JSON input', extensions: { code: 'BAD_REQUEST' } }] },
    });
  });

  it('names the field of a wrong literal: graphql-js does not, nameInputField adds it', async () => {
    const wrongType = await graphql('mutation { createService(input: { projectId: "p", name: "web", port: "80", source: {} }) { id } }');
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors).toEqual([
      {
        message: 'Int cannot represent non-integer value: "80" (input.port of createService)',
        locations: [{ line: 1, column: 70 }],
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', field: 'input.port' },
      },
    ]);
    const nested = await graphql('mutation { createService(input: { projectId: "p", name: "web", port: 80, source: { git: { ref: 1 } } }) { id } }');
    expect(nested.body.errors.map((e) => [e.message, e.extensions.field])).toEqual([
      ['Field "GitSourceInput.url" of required type "String!" was not provided. (input.source.git of createService)', 'input.source.git'],
      ['String cannot represent a non string value: 1 (input.source.git.ref of createService)', 'input.source.git.ref'],
    ]);
    const unknown = await graphql('mutation { createProject(input: { nom: "x" }) { id } }');
    expect(unknown.body.errors.map((e) => e.message)).toEqual([
      'Field "CreateProjectInput.name" of required type "String!" was not provided. (input of createProject)',
      'Field "nom" is not defined by type "CreateProjectInput". Did you mean "name"? (input.nom of createProject)',
    ]);
    const missingArgument = await graphql('{ deploymentLog { lines { message } } }');
    expect(missingArgument.body.errors.map((e) => e.message)).toEqual(['Field "deploymentLog" argument "deploymentId" of type "ID!" is required, but it was not provided.']);
  });

  it('names the path of a wrong variable: Apollo does, with BAD_USER_INPUT', async () => {
    const res = await graphql('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
      i: { projectId: 'p', name: 'web', port: '80', source: { git: {} }, env: [{ key: 'A' }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => [e.message, e.extensions.code])).toEqual([
      ['Variable "$i" got invalid value {} at "i.source.git"; Field "url" of required type "String!" was not provided.', 'BAD_USER_INPUT'],
      ['Variable "$i" got invalid value "80" at "i.port"; Int cannot represent non-integer value: "80"', 'BAD_USER_INPUT'],
      ['Variable "$i" got invalid value { key: "A" } at "i.env[0]"; Field "value" of required type "String!" was not provided.', 'BAD_USER_INPUT'],
    ]);
  });

  it('names the field of a bad enum value, literal or variable', async () => {
    const small = new ApolloServer({
      schema: buildSchema('enum Role { VIEWER DEVELOPER ADMIN OWNER } input Invite { email: String!, role: Role! } type Query { ok: Boolean } type Mutation { invite(input: Invite!): Boolean }'),
      formatError,
    });
    await small.start();
    const errors = async (query: string, variables?: Record<string, unknown>) => {
      const res = await small.executeOperation({ query, variables });
      return res.body.kind === 'single' ? res.body.singleResult.errors?.map((e) => e.message) : [];
    };
    expect(await errors('mutation { invite(input: { email: "a@b.c", role: OWNR }) }')).toEqual([
      'Value "OWNR" does not exist in "Role" enum. Did you mean the enum value "OWNER"? (input.role of invite)',
    ]);
    expect(await errors('mutation($i: Invite!) { invite(input: $i) }', { i: { email: 'a@b.c', role: 'owner' } })).toEqual([
      'Variable "$i" got invalid value "owner" at "i.role"; Value "owner" does not exist in "Role" enum. Did you mean the enum value "OWNER"?',
    ]);
    await small.stop();
  });
});
