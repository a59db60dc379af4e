import { startService } from '@slipway/messaging';
import { platformService } from '@slipway/proto';
import { ProjectModule } from './project.module';

const { name, context, healthPort } = platformService('project');

/** The project service: alone in a process or beside the others (infra/platform/run-service.sh, run-platform.ts). */
export const start = (options?: Parameters<typeof startService>[1]) => startService({ service: name, context, module: ProjectModule, healthPort }, options);
