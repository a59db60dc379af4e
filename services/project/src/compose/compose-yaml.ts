import { Document, isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import { ComposeProblem, keyPath } from './compose-plan';

/** Larger than any real compose file by far; keeps a hostile upload from costing much. */
export const COMPOSE_MAX_BYTES = 512 * 1024;

export interface ComposeYaml {
  value: unknown;
  /** Line and column (1-based) of a key path, or of the nearest ancestor the file spells out. */
  locate: (segments: readonly (string | number)[], key?: string) => { line: number; column: number } | undefined;
}

export type ComposeYamlResult = { ok: true; yaml: ComposeYaml } | { ok: false; errors: ComposeProblem[] };

const at = (file: string, where?: { line: number; column: number }) =>
  where ? `${file}, line ${where.line}, column ${where.column}` : file;

/**
 * YAML 1.2 (what Compose reads) with `<<` merge keys, which compose files use with `x-` anchors.
 * Duplicate keys are errors, as in Compose; aliases are capped so a "billion laughs" file fails fast.
 */
export const readComposeYaml = (text: string, file: string): ComposeYamlResult => {
  if (Buffer.byteLength(text, 'utf8') > COMPOSE_MAX_BYTES) {
    return { ok: false, errors: [{ path: '', message: `${file} is larger than 512 KiB: that is not a Compose file Slipway reads` }] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const where = e.linePos?.[0] ? { line: e.linePos[0].line, column: e.linePos[0].col } : undefined;
        const reason = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        return { path: '', ...where, message: `${at(file, where)}: this is not valid YAML (${reason}); fix the syntax there` };
      }),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { ok: false, errors: [{ path: '', message: `${file}: ${(e as Error).message}; write the repeated parts out` }] };
  }
  return { ok: true, yaml: { value, locate: locator(doc, lineCounter) } };
};

const locator =
  (doc: Document, lines: LineCounter): ComposeYaml['locate'] =>
  (segments, key) => {
    for (let n = segments.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(segments.slice(0, n), true);
      if (!isNode(node) || !node.range) continue;
      if (n === segments.length && key !== undefined && isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
        const keyNode = pair && isNode(pair.key) ? pair.key : undefined;
        if (keyNode?.range) return position(lines, keyNode.range[0]);
      }
      return position(lines, node.range[0]);
    }
    return undefined;
  };

const position = (lines: LineCounter, offset: number) => {
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
};

/** A problem at a key path, with the position in the file when the file spells that path out. */
export const problemAt = (
  yaml: ComposeYaml | undefined,
  file: string,
  segments: readonly (string | number)[],
  what: string,
  key?: string,
): ComposeProblem => {
  const full = key === undefined ? segments : [...segments, key];
  const path = keyPath(full);
  const where = yaml?.locate(segments, key);
  return { path, ...where, message: `${path} (${at(file, where)}) ${what}` };
};
