/**
 * What the API accepts, checked before a form is sent, in the same words as the API's refusals
 * (libs/messaging refusal-wording): one rule per kind of value, for every form that asks for it.
 * Each returns the problem, or null when the value is fine. Forms set `noValidate`, so a person
 * reads these sentences, never a browser's bubble.
 */
const whole = (value: string) => (/^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN);
const decimal = (value: string) => (/^\s*\d*\.?\d+\s*$/.test(value) ? Number(value) : NaN);

/** Directories a volume may not cover (as the API's proto SYSTEM_DIRECTORIES). */
const SYSTEM_DIRECTORIES = ['/bin', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/run', '/sbin', '/sys', '/usr'];

const between = (label: string, n: number, min: number, max: number, unit = '') =>
  Number.isNaN(n) || n < min || n > max ? `${label} must be ${min} to ${max}${unit}` : null;

export const inputRules = {
  /** The port the app listens on. */
  port: (value: string) => (value.trim() === '' ? 'Port is needed: the one your app listens on (often 3000 or 8080)' : between('Port', whole(value), 1, 65_535)),
  replicas: (value: string) => between('Replicas', whole(value), 1, 10),
  cpu: (value: string) => between('CPU', decimal(value), 0.1, 16, ' cores'),
  memoryMb: (value: string) => between('Memory', whole(value), 128, 16_384, ' MB'),
  /** A project or service name: it becomes part of every hostname. */
  name: (value: string) => {
    const v = value.trim();
    if (!v) return 'Name must not be empty';
    if (v.length > 63) return 'Name must be at most 63 characters';
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(v)) return 'Name must be lower-case letters, digits and "-", starting and ending with a letter or digit';
    return null;
  },
  /** An environment variable's key. */
  envKey: (value: string) => {
    const v = value.trim();
    if (!v) return 'Key must not be empty';
    if (v.length > 256) return 'Key must be at most 256 characters';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) return 'Key must be letters, digits and "_", not starting with a digit';
    return null;
  },
  healthCheckPath: (value: string) => (value.trim() && !value.trim().startsWith('/') ? 'Health check path must start with "/"' : null),
  /** A volume's name: a DNS label, like a service's name (proto volumeName). */
  volumeName: (value: string) => {
    const v = value.trim();
    if (!v) return 'Name must not be empty';
    if (v.length > 63) return 'Name must be at most 63 characters';
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(v)) return 'Name must be lower-case letters, digits and "-", starting and ending with a letter or digit, like data';
    return null;
  },
  /** Where a volume is mounted (proto volumeMountPath): the first problem, in the API's order. */
  volumeMountPath: (value: string) => {
    const v = value.trim();
    if (!v) return 'Mount path must not be empty';
    if (v.length > 1024) return 'Mount path must be at most 1024 characters';
    if (!v.startsWith('/')) return 'Mount path must be an absolute path, like /data';
    if (v.split('/').some((part) => part === '..' || part === '.')) return 'Mount path must not contain "." or ".." parts';
    if (v.replace(/\/+$/, '') === '') return 'Mount path must not be / (the whole filesystem); use a directory like /data';
    if (SYSTEM_DIRECTORIES.some((dir) => v === dir || v.startsWith(`${dir}/`))) return `Mount path must not be a system directory (${SYSTEM_DIRECTORIES.join(', ')}) or inside one`;
    if (/[\s,:"'\\]|\/\//.test(v)) return 'Mount path must not contain spaces, commas, colons, quotes, backslashes or "//"';
    return null;
  },
} as const;

export type InputRule = keyof typeof inputRules;

/** Every problem of a form at once, by its field name; empty when all is well. */
export const problemsOf = <F extends string>(checks: Partial<Record<F, [InputRule, string]>>): Partial<Record<F, string>> => {
  const problems: Partial<Record<F, string>> = {};
  for (const [field, [rule, value]] of Object.entries(checks) as [F, [InputRule, string]][]) {
    const problem = inputRules[rule](value);
    if (problem) problems[field] = problem;
  }
  return problems;
};
