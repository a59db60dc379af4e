import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Command, DomainError, type CommandPayload } from '@slipway/messaging';
import { ReadSourceFiles, type SourceFilesAnswer } from '@slipway/proto';
import type { z } from 'zod';
import { BuildError, buildConfigFromEnv, readSourceFiles } from '../runner';

/** A read of a repository takes a fetch at most: ended, with a reason, after this. */
const READ_DEADLINE_MS = 120_000;

/** Wiring only: reads files of a git source for the project service (a Compose file and its env files). */
@Controller()
export class SourceFilesHandlers {
  private readonly config = buildConfigFromEnv();

  @Command(ReadSourceFiles)
  async readSourceFiles(@Payload() { data }: CommandPayload<z.infer<typeof ReadSourceFiles.schema>>): Promise<SourceFilesAnswer> {
    try {
      return await readSourceFiles(this.config, { ...data, signal: AbortSignal.timeout(READ_DEADLINE_MS) });
    } catch (err) {
      if (err instanceof BuildError) throw new DomainError('SOURCE_UNREADABLE', err.message, 'git');
      if ((err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError') {
        throw new DomainError('SOURCE_UNREADABLE', `Reading the repository took longer than ${READ_DEADLINE_MS / 1000} s: check that its host answers, then try again`, 'git');
      }
      if (/larger than/.test((err as Error).message)) throw new DomainError('SOURCE_UNREADABLE', (err as Error).message, 'path');
      throw err;
    }
  }
}
