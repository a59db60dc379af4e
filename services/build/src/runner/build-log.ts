import { StringDecoder } from 'node:string_decoder';
import type { BuildLogLine } from './build-job';

/** One object of the newline-delimited JSON that the Engine streams for build, pull and push. */
export interface EngineStreamMessage {
  stream?: string;
  status?: string;
  progress?: string;
  id?: string;
  error?: string;
  errorDetail?: { code?: number; message?: string };
  aux?: { ID?: string; Tag?: string; Digest?: string; Size?: number };
}

/** Splits a chunked newline-delimited JSON body into messages (chunks may cut lines and characters). */
export class EngineStreamDecoder {
  private readonly text = new StringDecoder('utf8');
  private pending = '';

  push(chunk: Buffer | string): EngineStreamMessage[] {
    this.pending += typeof chunk === 'string' ? chunk : this.text.write(chunk);
    const lines = this.pending.split('\n');
    this.pending = lines.pop() ?? '';
    return lines.flatMap(parseMessage);
  }

  end(): EngineStreamMessage[] {
    const rest = this.pending + this.text.end();
    this.pending = '';
    return parseMessage(rest);
  }
}

const parseMessage = (line: string): EngineStreamMessage[] => {
  const trimmed = line.trim();
  if (!trimmed) return [];
  try {
    return [JSON.parse(trimmed) as EngineStreamMessage];
  } catch {
    // Not JSON (a proxy's error page, say): keep it as text rather than lose it.
    return [{ stream: `${trimmed}\n` }];
  }
};

/** The text of an error carried inside the stream (the API call itself succeeded). */
export const streamError = (message: EngineStreamMessage): string | undefined =>
  message.errorDetail?.message ?? message.error;

/** Cuts `stream` text, which arrives in arbitrary pieces, into whole lines. */
export class LineAssembler {
  private pending = '';

  push(text: string): string[] {
    const lines = (this.pending + text).split(/\r?\n/);
    this.pending = lines.pop() ?? '';
    return lines.map(withoutCarriageReturns);
  }

  flush(): string[] {
    const rest = withoutCarriageReturns(this.pending);
    this.pending = '';
    return rest ? [rest] : [];
  }
}

/** Progress bars redraw with \r: only the last state of such a line is worth keeping. */
const withoutCarriageReturns = (line: string) => line.slice(line.lastIndexOf('\r') + 1);

/**
 * The classic builder wraps what a RUN writes to stderr in \x1b[91m … \x1b[0m (the marks may
 * sit on the neighbouring lines). This strips escape sequences from each line and tells which
 * stream it came from, remembering an open mark across lines.
 */
export class StderrMarks {
  private inStderr = false;

  read(line: string): { text: string; stderr: boolean } {
    let text = '';
    let stderr: boolean | undefined;
    let last = 0;
    const take = (part: string) => {
      if (part && stderr === undefined) stderr = this.inStderr;
      text += part;
    };
    for (const match of line.matchAll(/\x1b\[([0-9;?]*)([A-Za-z])/g)) {
      take(line.slice(last, match.index));
      if (match[2] === 'm') {
        for (const code of match[1].split(';')) {
          if (code === '91') this.inStderr = true;
          else if (code === '0' || code === '' || code === '39') this.inStderr = false;
        }
      }
      last = match.index + match[0].length;
    }
    take(line.slice(last));
    return { text, stderr: stderr ?? this.inStderr };
  }
}

/** The last `size` lines, for BuildError.lastLogLines. */
export class LogTail {
  private readonly buffer: string[] = [];

  constructor(private readonly size = 50) {}

  add(line: string): void {
    this.buffer.push(line);
    if (this.buffer.length > this.size) this.buffer.splice(0, this.buffer.length - this.size);
  }

  lines(): string[] {
    return [...this.buffer];
  }
}

const STEP = /^Step (\d+\/\d+) : (.*)$/;

/** 'Step 3/5 : RUN npm ci' → 'Step 3/5 RUN npm ci'; undefined for any other line. */
export const stepOf = (line: string): string | undefined => {
  const match = STEP.exec(line.trim());
  return match ? `Step ${match[1]} ${match[2]}` : undefined;
};

const MAX_REASON = 500;

/**
 * The reason a user reads: which step failed and how. The classic builder reports a failing RUN as
 * "The command '/bin/sh -c npm ci' returned a non-zero code: 1", which becomes "exit code 1".
 */
export const buildFailureReason = (step: string | undefined, engineError: string): string => {
  const exit = /returned a non-zero code: (\d+)/.exec(engineError);
  const what = exit ? `exit code ${exit[1]}` : engineError.trim();
  const reason = step ? `${step} failed: ${what}` : `Build failed: ${what}`;
  return reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason;
};

const MAX_LINE = 8_192;

/**
 * Where every line of a build goes: to the caller as it arrives, and into the tail that a
 * BuildError carries. A failing log consumer never fails the build.
 */
export class BuildLog {
  private readonly tail = new LogTail(50);

  constructor(private readonly onLog: (line: BuildLogLine) => void) {}

  write(stream: BuildLogLine['stream'], message: string): void {
    const line = message.length > MAX_LINE ? `${message.slice(0, MAX_LINE)}…` : message;
    this.tail.add(line);
    try {
      this.onLog({ stream, message: line });
    } catch {
      // the log is telemetry: losing a line is better than failing the build
    }
  }

  system(message: string): void {
    this.write('system', message);
  }

  stdout(message: string): void {
    this.write('stdout', message);
  }

  /** One line or several: blank ones are dropped. */
  stderr(message: string): void {
    for (const line of message.split(/\r?\n/)) if (line.trim()) this.write('stderr', line);
  }

  lastLines(): string[] {
    return this.tail.lines();
  }
}
