import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type ASTNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';

export interface QueryLimitOptions {
  /** Deepest field allowed, a root field being depth 1. */
  maxDepth?: number;
  /** Highest estimated cost allowed (see `estimate` below). */
  maxCost?: number;
  /** Items assumed for a list that no `first`/`last` bounds. */
  defaultListSize?: number;
  /** Per-field list sizes ("Project.services": 20) where the data is known to stay small. */
  listSizes?: Record<string, number>;
}

/**
 * A root field is depth 1; the console's deepest query is 4. The cost limit sits between two and
 * three nested unbounded lists: projects → services with a dozen fields each estimates at ~110,000
 * and passes, projects → services → deployments estimates in the millions and does not.
 */
export const queryLimitDefaults = { maxDepth: 12, maxCost: 200_000, defaultListSize: 100 } as const;

export const QUERY_TOO_DEEP = 'QUERY_TOO_DEEP';
export const QUERY_TOO_COSTLY = 'QUERY_TOO_COSTLY';

/** What one selection set measures: its depth, its cost, and where each peaks ("projects.services.id"). */
interface Measure {
  depth: number;
  deepestPath: string[];
  deepestNode?: ASTNode;
  cost: number;
  costliestPath: string[];
}

const none: Measure = { depth: 0, deepestPath: [], cost: 0, costliestPath: [] };

/** Introspection answers are bounded by the schema itself, and nesting inside them by graphql-js's
 * own MaxIntrospectionDepthRule (a specified rule Apollo and graphql-ws always run): so tooling's
 * introspection query is neither deep nor costly here. `__typename` is an ordinary leaf. */
const isIntrospection = (field: FieldNode) => field.name.value === '__schema' || field.name.value === '__type';

const pageArguments = ['first', 'last'];

/**
 * Cost model — an upper estimate of the values a response can hold, so it bounds resolver calls
 * and response size alike:
 * - every field costs 1, leaves included (aliases of one field count each time);
 * - a list field multiplies the cost of what it selects by its size: its own `first`/`last`, else
 *   the `first`/`last` of the page field right above it (`deploymentLog(first: 500) { lines }`),
 *   else `listSizes["Type.field"]`, else `defaultListSize`; a list of lists multiplies again;
 * - fragments count where they are spread; the branches for different types of a union or
 *   interface are summed (an upper bound, never an underestimate);
 * - a `first` given as a variable counts as that variable's default, else the argument's default in
 *   the schema, else `defaultListSize`: validation runs once per document, before variables are
 *   known (Apollo caches validated documents), so a variable `first` is bounded by the resolvers
 *   themselves (≤ 200 for record pages, ≤ 5,000 for log lines), not here.
 */
class QueryMeasurer {
  constructor(
    private readonly context: ValidationContext,
    private readonly operation: OperationDefinitionNode,
    private readonly options: Required<QueryLimitOptions>,
  ) {}

  measure(): Measure {
    const root = this.context.getSchema().getRootType(this.operation.operation);
    return root ? this.selectionSet(this.operation.selectionSet, root, undefined, new Set()) : none;
  }

  private selectionSet(set: SelectionSetNode, parent: GraphQLCompositeType, pageSize: number | undefined, fragmentsOnPath: Set<string>): Measure {
    const total: Measure = { ...none };
    let costliest = -1;
    const add = (m: Measure, pathHere: string[]) => {
      if (m.depth > total.depth) Object.assign(total, { depth: m.depth, deepestPath: m.deepestPath, deepestNode: m.deepestNode });
      total.cost += m.cost;
      if (m.cost > costliest) [costliest, total.costliestPath] = [m.cost, pathHere];
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const m = this.field(selection, parent, pageSize, fragmentsOnPath);
        add(m, m.costliestPath);
      } else {
        // Fragments (inline or spread) select from the same object: same depth, their costs add up.
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : this.context.getFragment(selection.name.value);
        if (!fragment) continue; // unknown fragment: KnownFragmentNamesRule reports it
        const name = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : undefined;
        if (name && fragmentsOnPath.has(name)) continue; // a cycle: NoFragmentCyclesRule reports it
        const condition = fragment.typeCondition ? this.context.getSchema().getType(fragment.typeCondition.name.value) : parent;
        if (!condition || !isCompositeType(condition)) continue;
        const onPath = name ? new Set([...fragmentsOnPath, name]) : fragmentsOnPath;
        const m = this.selectionSet(fragment.selectionSet, condition, pageSize, onPath);
        add(m, m.costliestPath);
      }
    }
    return total;
  }

  private field(node: FieldNode, parent: GraphQLCompositeType, pageSize: number | undefined, fragmentsOnPath: Set<string>): Measure {
    const label = node.alias?.value ?? node.name.value;
    if (isIntrospection(node)) return none;
    const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[node.name.value] : undefined;
    if (!definition) return { depth: 1, deepestPath: [label], deepestNode: node, cost: 1, costliestPath: [label] }; // __typename, or unknown (FieldsOnCorrectTypeRule)

    const ownPage = this.pageSize(node, definition);
    let multiplier = 1;
    let itemType = definition.type;
    let size = ownPage ?? pageSize ?? this.options.listSizes[`${parent.name}.${definition.name}`] ?? this.options.defaultListSize;
    while (isListType(getNullableType(itemType))) {
      multiplier *= size;
      size = this.options.defaultListSize; // an inner list has no page argument of its own
      itemType = (getNullableType(itemType) as { ofType: typeof itemType }).ofType;
    }
    const named = getNamedType(itemType);
    if (!node.selectionSet || !isCompositeType(named)) return { depth: 1, deepestPath: [label], deepestNode: node, cost: 1, costliestPath: [label] };

    // A page field that is not itself a list hands its first/last to the list it contains.
    const childPage = multiplier === 1 ? ownPage : undefined;
    const inner = this.selectionSet(node.selectionSet, named, childPage, fragmentsOnPath);
    return {
      depth: 1 + inner.depth,
      deepestPath: [label, ...inner.deepestPath],
      deepestNode: inner.deepestNode ?? node,
      cost: 1 + multiplier * inner.cost,
      costliestPath: [label, ...inner.costliestPath],
    };
  }

  /** The `first`/`last` a field asks for, as far as the document alone tells. */
  private pageSize(node: FieldNode, definition: GraphQLField<unknown, unknown>): number | undefined {
    const sizes = pageArguments.flatMap((name) => {
      const given = node.arguments?.find((a) => a.name.value === name)?.value;
      const declared = definition.args.find((a) => a.name === name);
      const value = given ? this.intValue(given) : declared?.defaultValue;
      return typeof value === 'number' && value >= 0 ? [value] : [];
    });
    return sizes.length ? Math.max(...sizes) : undefined;
  }

  private intValue(value: ValueNode): number | undefined {
    if (value.kind === Kind.INT) return Number(value.value);
    if (value.kind !== Kind.VARIABLE) return undefined;
    const declared = this.operation.variableDefinitions?.find((v) => v.variable.name.value === value.name.value)?.defaultValue;
    return declared?.kind === Kind.INT ? Number(declared.value) : undefined;
  }
}

const operationLabel = (operation: OperationDefinitionNode) =>
  operation.name ? `operation "${operation.name.value}"` : `the anonymous ${operation.operation}`;

const figure = (n: number) => n.toLocaleString('en-US');

/**
 * Validation rules that refuse, before anything executes, an operation nested deeper than
 * `maxDepth` or estimated to cost more than `maxCost`. Each error names the limit, the measured
 * value, the operation and the field path, with `extensions.code` QUERY_TOO_DEEP or QUERY_TOO_COSTLY.
 */
export const queryLimitRules = (options: QueryLimitOptions = {}): ValidationRule[] => {
  const limits: Required<QueryLimitOptions> = { ...queryLimitDefaults, listSizes: {}, ...options };
  const rule: ValidationRule = (context) => ({
    OperationDefinition(operation) {
      const m = new QueryMeasurer(context, operation, limits).measure();
      const where = operationLabel(operation);
      if (m.depth > limits.maxDepth) {
        const path = m.deepestPath.join('.');
        context.reportError(
          new GraphQLError(`Query too deep: ${where} nests ${m.depth} levels (at ${path}); the limit is ${limits.maxDepth}`, {
            nodes: m.deepestNode ?? operation,
            extensions: { code: QUERY_TOO_DEEP, limit: limits.maxDepth, depth: m.depth, operation: operation.name?.value ?? null, path },
          }),
        );
      }
      if (m.cost > limits.maxCost) {
        const path = m.costliestPath.join('.');
        context.reportError(
          new GraphQLError(
            `Query too costly: ${where} is estimated at ${figure(m.cost)} (mostly ${path}); the limit is ${figure(limits.maxCost)}. ` +
              'Ask for fewer items with first/last, or split the query',
            { nodes: operation, extensions: { code: QUERY_TOO_COSTLY, limit: limits.maxCost, cost: m.cost, operation: operation.name?.value ?? null, path } },
          ),
        );
      }
      return false; // measured from here in one pass: no need to walk the operation again
    },
  });
  return [rule];
};

/**
 * Apollo Server reports every validation error with code GRAPHQL_VALIDATION_FAILED, overwriting
 * ours; as its `formatError` (or inside one), this puts QUERY_TOO_DEEP / QUERY_TOO_COSTLY back so a
 * client can tell "too big" from "wrong". graphql-ws keeps our code as it is.
 */
export const keepQueryLimitCodes = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
  const original = (error as { originalError?: unknown } | null)?.originalError;
  const code = original instanceof GraphQLError ? original.extensions.code : undefined;
  if (code !== QUERY_TOO_DEEP && code !== QUERY_TOO_COSTLY) return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, code } };
};
