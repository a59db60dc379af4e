import { Module, type DynamicModule } from '@nestjs/common';
import { HealthController } from './health/health.controller';
import { ReadStore } from './read-store';

@Module({})
export class GatewayModule {
  static register(readStore: ReadStore): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [HealthController],
      providers: [{ provide: ReadStore, useValue: readStore }],
    };
  }
}
