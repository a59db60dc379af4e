import { bootstrapService } from '@slipway/messaging';
import { platformService } from '@slipway/proto';
import { MetricsModule } from './metrics.module';

const { name, context, healthPort } = platformService('metrics');
void bootstrapService({ service: name, context, module: MetricsModule, healthPort });
