import { startService } from '@slipway/messaging';
import { platformService } from '@slipway/proto';
import { BackupModule } from './backup.module';

const { name, context, healthPort } = platformService('backup');

/** The backup part: alone in a process or beside the others (infra/platform/run-service.sh, run-platform.ts). */
export const start = (options?: Parameters<typeof startService>[1]) => startService({ service: name, context, module: BackupModule, healthPort }, options);
