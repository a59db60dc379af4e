import { startService } from '@slipway/messaging';
import { platformService } from '@slipway/proto';
import { DeployModule } from './deploy.module';

const { name, context, healthPort } = platformService('deploy');

/** The deploy service: alone in a process or beside the others (infra/platform/run-service.sh, run-platform.ts). */
export const start = (options?: Parameters<typeof startService>[1]) => startService({ service: name, context, module: DeployModule, healthPort }, options);
