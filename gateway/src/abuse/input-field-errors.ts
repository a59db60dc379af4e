import { Kind, parse, type ArgumentNode, type GraphQLFormattedError, type SelectionSetNode, type ValueNode } from 'graphql';

/** Where in an operation an input value sits: the argument path ("input.source.git.url") and the field it is given to. */
interface InputPlace {
  field: string;
  of: string;
}

const inValue = (value: ValueNode, path: string, offset: number): string | undefined => {
  if (value.kind === Kind.OBJECT) {
    for (const f of value.fields) {
      const here = `${path}.${f.name.value}`;
      if (f.loc?.start === offset) return here; // an unknown input field is reported at its name
      const inner = inValue(f.value, here, offset);
      if (inner) return inner;
    }
  }
  if (value.kind === Kind.LIST) {
    for (const [i, item] of value.values.entries()) {
      const inner = inValue(item, `${path}[${i}]`, offset);
      if (inner) return inner;
    }
  }
  return value.loc?.start === offset ? path : undefined;
};

const inArguments = (args: readonly ArgumentNode[], offset: number) => {
  for (const a of args) {
    const found = inValue(a.value, a.name.value, offset);
    if (found) return found;
  }
  return undefined;
};

const inSelections = (set: SelectionSetNode, fieldPath: string[], offset: number): InputPlace | undefined => {
  for (const s of set.selections) {
    const path = s.kind === Kind.FIELD ? [...fieldPath, s.name.value] : fieldPath;
    const field = s.kind === Kind.FIELD && s.arguments ? inArguments(s.arguments, offset) : undefined;
    if (field) return { field, of: path.join('.') };
    const inner = s.kind !== Kind.FRAGMENT_SPREAD && s.selectionSet ? inSelections(s.selectionSet, path, offset) : undefined;
    if (inner) return inner;
  }
  return undefined;
};

/** The input value a document offset points at, if any. */
const inputPlaceAt = (body: string, offset: number): InputPlace | undefined => {
  try {
    for (const d of parse(body).definitions) {
      if ((d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) && d.selectionSet) {
        const place = inSelections(d.selectionSet, [], offset);
        if (place) return place;
      }
    }
  } catch {
    return undefined; // not a document we can read again: leave the error as it is
  }
  return undefined;
};

/**
 * graphql-js reports a wrong literal in a query by its value alone — `String cannot represent a
 * non string value: 3`, `Value "X" does not exist in "Role" enum` — with a line and column but no
 * field. As (part of) Apollo's `formatError`, this names it: `… (input.name of createProject)` and
 * `extensions.field: "input.name"`, as resolver errors do. Errors about variables already name the
 * path (`Variable "$i" got invalid value "80" at "i.port"`) and are left as they are.
 */
export const nameInputField = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
  const e = error as { source?: { body: string }; positions?: readonly number[] } | null;
  if (formatted.extensions?.code !== 'GRAPHQL_VALIDATION_FAILED' || !e?.source || e.positions?.length !== 1) return formatted;
  const place = inputPlaceAt(e.source.body, e.positions[0]);
  if (!place) return formatted;
  return { ...formatted, message: `${formatted.message} (${place.field} of ${place.of})`, extensions: { ...formatted.extensions, field: place.field } };
};
