export type LogLine = { timestamp: string; stream: string; message: string; cursor: string };

/**
 * Every line of one log, kept outside React state: pushing a line costs an array push, and
 * listeners are told at most once per animation frame, so 1,000 lines a second is 60 renders, not 1,000.
 */
export class LogStore {
  readonly lines: LogLine[] = [];
  private readonly seen = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private frame: number | null = null;

  /** A line already held (a replay after the socket reconnected) is skipped. */
  push(line: LogLine) {
    if (this.seen.has(line.cursor)) return;
    this.seen.add(line.cursor);
    this.lines.push(line);
    this.schedule();
  }

  get lastCursor() {
    return this.lines.at(-1)?.cursor ?? null;
  }

  subscribe(listener: () => void) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private schedule() {
    if (this.frame !== null) return;
    const raf = typeof requestAnimationFrame === 'function' ? requestAnimationFrame : (fn: () => void) => setTimeout(fn, 16) as unknown as number;
    this.frame = raf(() => {
      this.frame = null;
      this.listeners.forEach((l) => l());
    });
  }
}

export const formatLine = (l: LogLine) => `${l.timestamp} [${l.stream}] ${l.message}`;
