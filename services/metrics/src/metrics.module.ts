import { Module } from '@nestjs/common';
import { AlertsModule } from './alerts/alerts.module';
import { RuntimeLogsModule } from './logs/runtime-logs.module';
import { StatsModule } from './stats/stats.module';

/**
 * The metrics service: the apps' runtime logs (Docker → VictoriaLogs) and their and the host's
 * metrics (Docker stats → VictoriaMetrics). Alerts arrive with the rest of issue 13.
 */
@Module({ imports: [RuntimeLogsModule, StatsModule, AlertsModule] })
export class MetricsModule {}
