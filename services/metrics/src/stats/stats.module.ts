import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import Dockerode from 'dockerode';
import { HostStats } from './host-stats';
import { StatsCollector } from './stats-collector';
import { VictoriaMetricsWriter } from './victoria-metrics.writer';

/** Starts collecting container and host metrics with the service, and stops with it. */
class CollectorLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(StatsCollector) private readonly collector: StatsCollector) {}
  onApplicationBootstrap() {
    this.collector.start();
  }
  async onApplicationShutdown() {
    await this.collector.stop();
  }
}

@Module({
  providers: [
    {
      provide: StatsCollector,
      useFactory: () =>
        new StatsCollector(
          new Dockerode({ socketPath: process.env.DOCKER_SOCKET ?? '/var/run/docker.sock' }),
          new HostStats(process.env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway'),
          new VictoriaMetricsWriter(process.env.VICTORIAMETRICS_URL ?? 'http://127.0.0.1:8428'),
          { intervalMs: Number(process.env.METRICS_INTERVAL_MS ?? 10_000) },
        ),
    },
    CollectorLifecycle,
  ],
})
export class StatsModule {}
