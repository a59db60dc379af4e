/**
 * Variable interpolation as the Compose specification documents it (12-interpolation.md):
 * `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, nested
 * defaults (`${A:-${B:-x}}`) and `$$` for a literal `$`. Compose implementations also accept
 * `${VAR:+replacement}` / `${VAR+replacement}`; so do we. Anything else after `${` is an error,
 * never passed on half-read. Values only: keys are never interpolated (the spec's rule).
 */

export type VariableLookup = (name: string) => string | undefined;

export type InterpolationResult = { ok: true; value: string; missing: string[] } | { ok: false; error: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export const interpolate = (text: string, lookup: VariableLookup): InterpolationResult => {
  const missing: string[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) break;
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const end = closingBrace(text, dollar + 2);
      if (end < 0) return { ok: false, error: `"${text.slice(dollar)}" opens "\${" without a closing "}"` };
      const braced = substitute(text.slice(dollar + 2, end), lookup, missing);
      if (!braced.ok) return braced;
      out += braced.value;
      i = end + 1;
    } else {
      const name = NAME.exec(text.slice(dollar + 1))?.[0];
      if (name) {
        const value = lookup(name);
        if (value === undefined) missing.push(name);
        out += value ?? '';
        i = dollar + 1 + name.length;
      } else {
        out += '$';
        i = dollar + 1;
      }
    }
  }
  out += text.slice(i);
  return { ok: true, value: out, missing };
};

/** The index of the `}` closing a `${` whose body starts at `from`, counting nested `${…}`. */
const closingBrace = (text: string, from: number): number => {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') i++;
    else if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
};

const OPERATOR = /^(:-|-|:\?|\?|:\+|\+)/;

const substitute = (body: string, lookup: VariableLookup, missing: string[]): { ok: true; value: string } | { ok: false; error: string } => {
  const name = NAME.exec(body)?.[0];
  if (!name) return { ok: false, error: `"\${${body}}" is not a variable: names are letters, digits and "_", not starting with a digit` };
  const rest = body.slice(name.length);
  const value = lookup(name);
  if (rest === '') {
    if (value === undefined) missing.push(name);
    return { ok: true, value: value ?? '' };
  }
  const operator = OPERATOR.exec(rest)?.[0];
  if (!operator) {
    return { ok: false, error: `"\${${body}}" is not interpolation Compose supports (only :-, -, :?, ?, :+ and + after the name)` };
  }
  const unsetOrEmpty = operator.startsWith(':') ? value === undefined || value === '' : value === undefined;
  // The operand is interpolated only when it is used, as in a shell.
  const operand = () => interpolate(rest.slice(operator.length), lookup);
  switch (operator) {
    case ':-':
    case '-':
      return unsetOrEmpty ? used(operand(), missing) : { ok: true, value: value ?? '' };
    case ':+':
    case '+':
      return unsetOrEmpty ? { ok: true, value: '' } : used(operand(), missing);
    default: {
      if (!unsetOrEmpty) return { ok: true, value: value ?? '' };
      const message = operand();
      const detail = message.ok && message.value ? `: ${message.value}` : '';
      return { ok: false, error: `the variable ${name} is required${operator === ':?' ? ' and must not be empty' : ''}${detail}` };
    }
  }
};

const used = (result: InterpolationResult, missing: string[]): { ok: true; value: string } | { ok: false; error: string } => {
  if (!result.ok) return result;
  missing.push(...result.missing);
  return { ok: true, value: result.value };
};

export interface InterpolatedTree {
  value: unknown;
  /** Variables that were used but not set, each with the first path that used it. */
  missing: { name: string; path: (string | number)[] }[];
  errors: { path: (string | number)[]; error: string }[];
}

/** Every string value in a parsed compose file, interpolated; keys stay as written. */
export const interpolateTree = (root: unknown, lookup: VariableLookup): InterpolatedTree => {
  const missing = new Map<string, (string | number)[]>();
  const errors: InterpolatedTree['errors'] = [];
  const walk = (node: unknown, path: (string | number)[]): unknown => {
    if (typeof node === 'string') {
      const result = interpolate(node, lookup);
      if (!result.ok) {
        errors.push({ path, error: result.error });
        return node;
      }
      for (const name of result.missing) if (!missing.has(name)) missing.set(name, path);
      return result.value;
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, [...path, k])]));
    }
    return node;
  };
  const value = walk(root, []);
  return { value, missing: [...missing].map(([name, path]) => ({ name, path })), errors };
};
