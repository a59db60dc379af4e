import { Module } from '@nestjs/common';
import { RuntimeLogsModule } from './logs/runtime-logs.module';

/**
 * The metrics service: today the apps' runtime logs (Docker → VictoriaLogs). Metrics and alerts
 * arrive with the issues that build them.
 */
@Module({ imports: [RuntimeLogsModule] })
export class MetricsModule {}
