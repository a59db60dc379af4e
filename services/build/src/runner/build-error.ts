/**
 * A build that did not produce an image. `reason` names the failing step in words a user can act
 * on ('Step 3/5 RUN npm ci failed: exit code 1'); `lastLogLines` shows what led to it.
 */
export class BuildError extends Error {
  override readonly name = 'BuildError';

  constructor(
    readonly reason: string,
    readonly lastLogLines: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}
