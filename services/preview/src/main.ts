import { bootstrapService } from '@slipway/messaging';
import { platformService } from '@slipway/proto';
import { PreviewModule } from './preview.module';

const { name, context, healthPort } = platformService('preview');
void bootstrapService({ service: name, context, module: PreviewModule, healthPort });
