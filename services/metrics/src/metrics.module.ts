import { Module } from '@nestjs/common';
import { StatsModule } from './stats/stats.module';

/**
 * The metrics service. It boots, connects, declares its event stream and reports health; its
 * aggregates, commands and consumers arrive with the issues that build them.
 */
@Module({ imports: [StatsModule] })
export class MetricsModule {}
