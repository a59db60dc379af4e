/**
 * A domain rule said no. Services throw it from deciders; the caller receives `code`, `message`
 * and, for bad input, the `field` at fault — never a stack trace.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** What a caller receives when a command is refused (the reply's `error`). */
export class CommandRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CommandRejected';
  }
}
