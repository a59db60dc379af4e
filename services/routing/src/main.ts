import { bootstrapService } from '@slipway/messaging';
import { platformService } from '@slipway/proto';
import { RoutingModule } from './routing.module';

const { name, context, healthPort } = platformService('routing');
void bootstrapService({ service: name, context, module: RoutingModule, healthPort });
