import { Module, type DynamicModule } from '@nestjs/common';
import { HealthController } from './health/health.controller';
import { HealthReports } from './health/health.reader';
import { ReadStore } from './read-store';

@Module({})
export class GatewayModule {
  static register(readStore: ReadStore, health: HealthReports): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [HealthController],
      providers: [
        { provide: ReadStore, useValue: readStore },
        { provide: HealthReports, useValue: health },
      ],
    };
  }
}
