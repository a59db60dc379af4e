import { bootstrapService } from '@slipway/messaging';
import { platformService } from '@slipway/proto';
import { QuotaModule } from './quota.module';

const { name, context, healthPort } = platformService('quota');
void bootstrapService({ service: name, context, module: QuotaModule, healthPort });
