import type { ErrorObject } from 'ajv';
import { ComposeProblem } from './compose-plan';
import { ComposeYaml, problemAt } from './compose-yaml';

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value lines)',
  array: 'a list',
  null: 'empty',
};

const FORMAT_WORDS: Record<string, string> = {
  duration: 'a duration like 30s, 1m30s or 500ms',
  ports: 'a port like "3000", "8080:80" or "127.0.0.1:8080:80/tcp"',
  expose: 'a port like "3000" or "3000/tcp"',
};

/** The maps whose keys are names the user chooses (a wrong key there is a bad name, not a typo). */
const NAMED_MAPS = new Set(['services', 'volumes', 'networks', 'secrets', 'configs']);

/** JSON pointer → segments, numbers where the data has a list. */
const segmentsOf = (pointer: string, data: unknown): (string | number)[] => {
  const segments: (string | number)[] = [];
  let node = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment = Array.isArray(node) ? Number(key) : key;
    segments.push(segment);
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[segment] : undefined;
  }
  return segments;
};

const typeList = (types: string[]) => {
  const words = [...new Set(types.flatMap((t) => t.split(',')))].map((t) => TYPE_WORDS[t] ?? t);
  return words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
};

/**
 * Ajv reports every branch of every `oneOf`; a person needs the one that applies. A branch whose
 * type matched produced the specific errors (an unknown key, a bad format, a missing key): keep
 * those. Where no branch's type matched, say which types would do, once.
 */
export const schemaProblems = (errors: ErrorObject[], data: unknown, yaml: ComposeYaml, file: string): ComposeProblem[] => {
  const specific = errors.filter((e) => !['type', 'oneOf', 'anyOf', 'if'].includes(e.keyword));
  // An error inside the value means a branch of the right type was chosen: its errors say more.
  const hasSpecificAtOrBelow = (path: string) =>
    specific.some((e) => e.dataPath === path) || errors.some((e) => e.keyword !== 'oneOf' && e.dataPath.startsWith(`${path}/`));
  const problems = new Map<string, ComposeProblem>();
  const add = (problem: ComposeProblem) => problems.set(`${problem.path} ${problem.message}`, problem);

  const typesByPath = new Map<string, string[]>();
  for (const e of errors) {
    if (e.keyword !== 'type' || hasSpecificAtOrBelow(e.dataPath)) continue;
    typesByPath.set(e.dataPath, [...(typesByPath.get(e.dataPath) ?? []), String((e.params as { type: string }).type)]);
  }
  for (const [pointer, types] of typesByPath) {
    add(problemAt(yaml, file, segmentsOf(pointer, data), `must be ${typeList(types)}`));
  }
  for (const e of specific) {
    const segments = segmentsOf(e.dataPath, data);
    const params = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = String(params.additionalProperty);
        const inNamedMap = segments.length === 1 && NAMED_MAPS.has(String(segments[0]));
        add(
          problemAt(
            yaml,
            file,
            segments,
            inNamedMap
              ? 'is not a valid name: use letters, digits, ".", "_" and "-"'
              : 'is not a Compose key here: check its spelling and indentation against the Compose specification',
            key,
          ),
        );
        break;
      }
      case 'required':
        add(problemAt(yaml, file, segments, `needs "${String(params.missingProperty).replace(/^\./, '')}"`));
        break;
      case 'enum':
        add(problemAt(yaml, file, segments, `must be one of: ${(params.allowedValues as unknown[]).join(', ')}`));
        break;
      case 'format':
        add(problemAt(yaml, file, segments, `must be ${FORMAT_WORDS[String(params.format)] ?? `a valid ${String(params.format)}`}`));
        break;
      case 'uniqueItems':
        add(problemAt(yaml, file, segments, 'lists the same entry twice: remove the repeated one'));
        break;
      case 'pattern':
        add(problemAt(yaml, file, segments, `must match ${String(params.pattern)}`));
        break;
      default:
        add(problemAt(yaml, file, segments, (e.message ?? 'is not valid').replace(/^should /, 'must ')));
    }
  }
  return [...problems.values()];
};
