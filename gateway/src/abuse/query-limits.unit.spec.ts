import { ApolloServer } from '@apollo/server';
import { buildSchema, getIntrospectionQuery, parse, specifiedRules, validate, type GraphQLSchema } from 'graphql';
import { buildSchema as gatewaySchema } from '../gateway-schema';
import { keepQueryLimitCodes, queryLimitRules, type QueryLimitOptions } from './query-limits';

const check = (schema: GraphQLSchema, query: string, options?: QueryLimitOptions): ({ message: string } & Record<string, unknown>)[] =>
  validate(schema, parse(query), [...specifiedRules, ...queryLimitRules(options)]).map((e) => ({ message: e.message, ...e.extensions }));

describe('query limits on a small schema', () => {
  const schema = buildSchema(`
    type Query { node: Node, nodes(first: Int, last: Int): [Node!]!, page(first: Int = 20): Page!, search: [Result!]! }
    type Node { id: ID!, name: String, child: Node, children: [Node!]!, tags: [String!]!, grid: [[Node!]!]! }
    type Page { items: [Node!]!, total: Int! }
    type Other { id: ID! }
    union Result = Node | Other
  `);
  const cost = (query: string, options?: QueryLimitOptions) => {
    const [error] = check(schema, query, { maxCost: 0, ...options });
    return (error as { cost?: number } | undefined)?.cost ?? 0;
  };

  it('counts every field once, leaves included, and multiplies what a list selects by its size', () => {
    expect(cost('{ node { id name } }')).toBe(3);
    expect(cost('{ a: node { id } b: node { id } }')).toBe(4); // aliases each count
    expect(cost('{ node { tags } }')).toBe(2); // a list of leaves is one value of its object
    expect(cost('{ nodes { id } }')).toBe(1 + 100 * 1); // no first: the default list size
    expect(cost('{ nodes(first: 5) { id name } }')).toBe(1 + 5 * 2);
    expect(cost('{ nodes(last: 7) { id } }')).toBe(1 + 7);
    expect(cost('{ nodes(first: 2) { children { id } } }')).toBe(1 + 2 * (1 + 100 * 1));
    expect(cost('{ node { grid { id } } }')).toBe(1 + 1 + 100 * 100); // a list of lists multiplies twice
    expect(cost('{ nodes { id } }', { defaultListSize: 10 })).toBe(11);
    expect(cost('{ node { children { id } } }', { listSizes: { 'Node.children': 3 } })).toBe(1 + 1 + 3);
  });

  it('lets a page field size the list inside it, with the schema default when first is not given', () => {
    expect(cost('{ page(first: 50) { items { id } total } }')).toBe(1 + 1 + 50 + 1);
    expect(cost('{ page { items { id } } }')).toBe(1 + 1 + 20);
  });

  it('takes a variable first at its default, and at the default list size without one', () => {
    expect(cost('query($n: Int = 3) { nodes(first: $n) { id } }')).toBe(1 + 3);
    expect(cost('query($n: Int) { nodes(first: $n) { id } }')).toBe(1 + 100);
  });

  it('expands fragments where they are spread and sums the branches of a union', () => {
    expect(cost('{ nodes(first: 10) { ...F } } fragment F on Node { id name }')).toBe(1 + 10 * 2);
    expect(cost('{ search { ... on Node { id name } ... on Other { id } __typename } }')).toBe(1 + 100 * 4);
  });

  it('refuses a query too deep, naming the limit, the depth, the operation and the path', () => {
    const query = 'query Deep { node { child { child { child { id } } } } }';
    expect(check(schema, query, { maxDepth: 5 })).toEqual([]);
    expect(check(schema, query, { maxDepth: 4 })).toEqual([
      {
        message: 'Query too deep: operation "Deep" nests 5 levels (at node.child.child.child.id); the limit is 4',
        code: 'QUERY_TOO_DEEP',
        limit: 4,
        depth: 5,
        operation: 'Deep',
        path: 'node.child.child.child.id',
      },
    ]);
    // Depth through fragments counts too.
    expect(check(schema, '{ node { ...A } } fragment A on Node { child { child { id } } }', { maxDepth: 3 })[0]).toMatchObject({ depth: 4, operation: null });
  });

  it('refuses a query too costly, naming the limit, the estimate and where it comes from', () => {
    expect(check(schema, 'query Big { node { id } nodes { children { id } } }', { maxCost: 5_000 })).toEqual([
      {
        message: 'Query too costly: operation "Big" is estimated at 10,103 (mostly nodes.children.id); the limit is 5,000. Ask for fewer items with first/last, or split the query',
        code: 'QUERY_TOO_COSTLY',
        limit: 5_000,
        cost: 10_103,
        operation: 'Big',
        path: 'nodes.children.id',
      },
    ]);
  });

  it('leaves fragment cycles and unknown fields to the specified rules instead of looping', () => {
    const errors = check(schema, '{ node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { child { ...A } }');
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/Cannot spread fragment "A" within itself/)]);
    expect(check(schema, '{ node { nope } }').map((e) => e.code)).toEqual([undefined]);
  });
});

describe('query limits on the gateway schema', () => {
  const schema = gatewaySchema();
  const measured = (query: string) => {
    expect(check(schema, query)).toEqual([]); // within the default limits
    const [tooCostly] = check(schema, query, { maxCost: 0 });
    const [tooDeep] = check(schema, query, { maxDepth: 0 });
    return { cost: tooCostly.cost, depth: tooDeep.depth };
  };

  it("passes GraphQL tooling's introspection query, with every option on", () => {
    expect(check(schema, getIntrospectionQuery())).toEqual([]);
    const everything = { descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true };
    expect(check(schema, getIntrospectionQuery(everything))).toEqual([]);
  });

  it('still refuses an introspection query nested to blow up (graphql-js MaxIntrospectionDepthRule)', () => {
    const nested = '{ __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }';
    expect(check(schema, nested).map((e) => e.message)).toEqual(['Maximum introspection depth exceeded']);
  });

  it("passes what the console and the API's users ask for, with room to spare", () => {
    const figures = {
      health: measured('{ health { status gateway { status nats mongo } services { name status nats streams consumers commands uptimeSeconds } } }'),
      projectsWithServices: measured('{ projects { id name createdAt services { id name port replicas domains healthCheckPath source { kind url ref image } } } }'),
      fullLogPage: measured(
        'query($d: ID!) { deploymentLog(deploymentId: $d, first: 5000) { lines { cursor timestamp stream message } pageInfo { endCursor hasNextPage } } }',
      ),
      auditPage: measured('{ auditLog(first: 200) { entries { id at type actor { kind id } context aggregate aggregateId correlationId } nextCursor } }'),
    };
    expect(figures).toEqual({
      health: { cost: 1 + 1 + 4 + 1 + 100 * 7, depth: 3 },
      projectsWithServices: { cost: 1 + 100 * (3 + 1 + 100 * (6 + 1 + 4)), depth: 4 },
      fullLogPage: { cost: 1 + 1 + 5000 * 4 + 3, depth: 3 },
      auditPage: { cost: 1 + 1 + 200 * (7 + 1 + 2) + 1, depth: 4 },
    });
  });

  it('refuses every deployment of every service of every project in one query', () => {
    const [error] = check(schema, 'query Everything { projects { services { deployments { id status url } } } }');
    expect(error).toMatchObject({ code: 'QUERY_TOO_COSTLY', cost: 1 + 100 * (1 + 100 * (1 + 100 * 3)), path: 'projects.services.deployments.id' });
  });
});

describe('query limits through Apollo Server', () => {
  it('answers with our code (restored by keepQueryLimitCodes), the figures and the location', async () => {
    const server = new ApolloServer({ schema: gatewaySchema(), validationRules: queryLimitRules({ maxDepth: 3 }), formatError: keepQueryLimitCodes });
    await server.start();
    const res = await server.executeOperation({ query: 'query Deep { projects { services { source { kind } } } }' });
    await server.stop();
    expect(res.http.status).toBe(400);
    expect(res.body.kind === 'single' && res.body.singleResult.errors).toEqual([
      {
        message: 'Query too deep: operation "Deep" nests 4 levels (at projects.services.source.kind); the limit is 3',
        locations: [{ line: 1, column: 45 }],
        extensions: { code: 'QUERY_TOO_DEEP', limit: 3, depth: 4, operation: 'Deep', path: 'projects.services.source.kind' },
      },
    ]);
  });
});
