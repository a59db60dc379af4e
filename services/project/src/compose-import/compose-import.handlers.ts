import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Command, PlatformConnection, type CommandPayload } from '@slipway/messaging';
import { ImportCompose, type ImportComposeAnswer } from '@slipway/proto';
import type { z } from 'zod';
import { ComposeImport } from './compose-import';

/** Wiring only: import-compose into the compose import (which uses the same commands as a person). */
@Controller()
export class ComposeImportHandlers {
  private readonly imports: ComposeImport;

  constructor(@Inject(PlatformConnection) platform: PlatformConnection) {
    this.imports = new ComposeImport(platform);
  }

  @Command(ImportCompose)
  importCompose(@Payload() { data, metadata }: CommandPayload<z.infer<typeof ImportCompose.schema>>): Promise<ImportComposeAnswer> {
    return this.imports.run(data, metadata);
  }
}
