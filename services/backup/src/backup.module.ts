import { Module } from '@nestjs/common';
import { DockerEngine } from '@slipway/docker-engine';
import { BackupHandlers } from './backup/backup.handlers';

/**
 * The backup part (ADR 0027, addendum): archives asked for by the instance owner or by the daily
 * schedule, with the passphrase only this part reads, and retention of the newest N.
 */
@Module({
  controllers: [BackupHandlers],
  providers: [{ provide: DockerEngine, useFactory: () => new DockerEngine() }],
})
export class BackupModule {}
