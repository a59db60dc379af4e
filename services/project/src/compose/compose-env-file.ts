import { interpolate, VariableLookup } from './compose-interpolation';
import { ComposeServicePlan } from './compose-plan';

/** `value: undefined`: the line is `VAR` alone, which unsets VAR (the specification's rule). */
export interface EnvFileEntry {
  key: string;
  value?: string;
}

export type EnvFileRead = { ok: true; entries: EnvFileEntry[] } | { ok: false; line: number; message: string };

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"' };
const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:=(.*))?$/;

/**
 * An env_file, read by the rules the Compose specification documents (05-services.md, "Env_file
 * format"): `#` comment lines; `VAR=VAL`; single quotes literal (with `\'`); double quotes with
 * `\n \r \t \\ \"` escapes, multi-line allowed; an inline comment needs a space before its `#`
 * when unquoted; unquoted and double-quoted values are interpolated; `format: raw` takes values
 * exactly as written. (dotenv's rules differ on each of these points, ADR 0015.)
 */
export const readEnvFile = (text: string, format: 'compose' | 'raw', lookup: VariableLookup): EnvFileRead => {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const entries: EnvFileEntry[] = [];
  const known = new Map<string, string>();
  const scoped: VariableLookup = (name) => known.get(name) ?? lookup(name);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    if (/^\s*(#|$)/.test(lines[i])) continue;
    const match = LINE.exec(lines[i]);
    if (!match) return { ok: false, line: lineNo, message: 'is not VAR=VALUE' };
    const [, key, rawValue] = match;
    if (rawValue === undefined) {
      entries.push({ key });
      continue;
    }
    let value: string;
    if (format === 'raw') value = rawValue;
    else {
      const trimmed = rawValue.trimStart();
      const quote = trimmed[0] === '"' || trimmed[0] === "'" ? trimmed[0] : undefined;
      if (quote) {
        let body = trimmed.slice(1);
        // A double-quoted value may continue on the next lines until its closing quote.
        while (closingQuote(body, quote) < 0 && quote === '"' && i + 1 < lines.length) body += `\n${lines[++i]}`;
        const end = closingQuote(body, quote);
        if (end < 0) return { ok: false, line: lineNo, message: `opens a ${quote === '"' ? 'double' : 'single'} quote that is never closed` };
        const after = body.slice(end + 1).trim();
        if (after && !after.startsWith('#')) return { ok: false, line: lineNo, message: 'has text after the closing quote' };
        const inner = body.slice(0, end);
        if (quote === "'") value = inner.replace(/\\'/g, "'");
        else {
          // One pass, so `\\$X` is a backslash then $X; `\$` becomes `$$`, interpolation's literal dollar.
          const unescaped = inner.replace(/\\([nrt\\"$])/g, (_, c: string) => (c === '$' ? '$$' : ESCAPES[c]));
          const result = interpolate(unescaped, scoped);
          if (!result.ok) return { ok: false, line: lineNo, message: result.error };
          value = result.value;
        }
      } else {
        const unquoted = trimmed.replace(/\s+#.*$/, '').trimEnd();
        const result = interpolate(unquoted, scoped);
        if (!result.ok) return { ok: false, line: lineNo, message: result.error };
        value = result.value;
      }
    }
    known.set(key, value);
    entries.push({ key, value });
  }
  return { ok: true, entries };
};

const closingQuote = (body: string, quote: string): number => {
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') i++;
    else if (body[i] === quote) return i;
  }
  return -1;
};

export type MergedEnvironment = { ok: true; env: { key: string; value: string }[] } | { ok: false; errors: string[] };

/**
 * The container's environment from the compose file, with Compose's documented precedence: the
 * env_files in order (a later file wins), then `environment:`, which wins over every file, even
 * with an empty value or a name alone that nothing resolved (that removes the variable).
 * `files` holds each env_file's content by its repository path; undefined means it does not exist.
 */
export const mergeEnvironment = (
  plan: Pick<ComposeServicePlan, 'name' | 'environment' | 'envFiles'>,
  files: Readonly<Record<string, string | undefined>>,
  lookup: VariableLookup = () => undefined,
): MergedEnvironment => {
  const env = new Map<string, string>();
  const errors: string[] = [];
  for (const file of plan.envFiles) {
    const text = Object.hasOwn(files, file.path) ? files[file.path] : undefined;
    if (text === undefined) {
      if (file.required) {
        errors.push(`services.${plan.name}.env_file: ${file.path} is not in the repository: add it, or mark it "required: false"`);
      }
      continue;
    }
    const read = readEnvFile(text, file.format, lookup);
    if (!read.ok) {
      errors.push(`${file.path}, line ${read.line}: ${read.message}`);
      continue;
    }
    for (const { key, value } of read.entries) {
      if (value === undefined) env.delete(key);
      else env.set(key, value);
    }
  }
  for (const { key, value } of plan.environment) {
    if (value === null) env.delete(key);
    else env.set(key, value);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, env: [...env].map(([key, value]) => ({ key, value })) };
};
