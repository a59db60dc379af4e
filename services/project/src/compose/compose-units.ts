/** Compose's units: Go durations (`1m30s`), byte sizes (`512M`, `1g`, `1.5GiB`), CPUs (`"0.5"`). */

const DURATION_PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
const DURATION_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Milliseconds, or undefined when the text is not a duration (the schema has already said so). */
export const durationMs = (text: string): number | undefined => {
  if (text === '0') return 0;
  let total = 0;
  let consumed = 0;
  for (const [whole, amount, unit] of text.matchAll(DURATION_PART)) {
    total += Number(amount) * DURATION_MS[unit];
    consumed += whole.length;
  }
  return consumed === text.length && consumed > 0 ? Math.round(total) : undefined;
};

const BYTE_UNITS: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };

/**
 * Bytes, read as Docker reads memory sizes (go-units' RAMInBytes): a number, then optionally
 * k, m, g, t or p, optionally followed by `i` and/or `b`, any case; powers of 1024.
 */
export const memoryBytes = (value: string | number): number | undefined => {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = /^(\d+(?:\.\d+)?) ?([kmgtp]?)i?b?$/i.exec(value.trim());
  return match ? Number(match[1]) * BYTE_UNITS[match[2].toLowerCase()] : undefined;
};

/** Cores, from `cpus: 0.5` or `cpus: "0.5"`. */
export const cpuCores = (value: string | number): number | undefined => {
  const cores = typeof value === 'number' ? value : /^\d+(?:\.\d+)?$|^\.\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isFinite(cores) && cores > 0 ? cores : undefined;
};
