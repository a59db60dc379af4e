import { startService } from '@slipway/messaging';
import { platformService } from '@slipway/proto';
import { MetricsModule } from './metrics.module';

const { name, context, healthPort } = platformService('metrics');

/** The metrics service: alone in a process or beside the others (infra/platform/run-service.sh, run-platform.ts). */
export const start = (options?: Parameters<typeof startService>[1]) => startService({ service: name, context, module: MetricsModule, healthPort }, options);
