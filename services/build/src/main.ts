import { bootstrapService } from '@slipway/messaging';
import { platformService } from '@slipway/proto';
import { BuildModule } from './build.module';

const { name, context, healthPort } = platformService('build');
void bootstrapService({ service: name, context, module: BuildModule, healthPort });
