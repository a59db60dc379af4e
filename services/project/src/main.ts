import { bootstrapService } from '@slipway/messaging';
import { platformService } from '@slipway/proto';
import { ProjectModule } from './project.module';

const { name, context, healthPort } = platformService('project');
void bootstrapService({ service: name, context, module: ProjectModule, healthPort });
