import { bootstrapService } from '@slipway/messaging';
import { platformService } from '@slipway/proto';
import { DeployModule } from './deploy.module';

const { name, context, healthPort } = platformService('deploy');
void bootstrapService({ service: name, context, module: DeployModule, healthPort });
