import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DockerEngine } from '@slipway/docker-engine';
import { HostStats } from './host-stats';
import { StatsCollector } from './stats-collector';
import { VictoriaMetricsWriter } from './victoria-metrics.writer';
import { VolumeSizes } from './volume-sizes';

const docker = () => new DockerEngine();
const metricsStore = () => new VictoriaMetricsWriter(process.env.VICTORIAMETRICS_URL ?? 'http://127.0.0.1:8428');

/** Starts collecting container, host and volume metrics with the service, and stops with it. */
class CollectorLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(StatsCollector) private readonly collector: StatsCollector,
    @Inject(VolumeSizes) private readonly volumes: VolumeSizes,
  ) {}
  onApplicationBootstrap() {
    this.collector.start();
    this.volumes.start();
  }
  async onApplicationShutdown() {
    await Promise.all([this.collector.stop(), this.volumes.stop()]);
  }
}

@Module({
  providers: [
    {
      provide: StatsCollector,
      useFactory: () =>
        new StatsCollector(
          docker(),
          new HostStats(process.env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway'),
          metricsStore(),
          { intervalMs: Number(process.env.METRICS_INTERVAL_MS ?? 10_000) },
        ),
    },
    { provide: VolumeSizes, useFactory: () => new VolumeSizes(docker(), metricsStore()) },
    CollectorLifecycle,
  ],
})
export class StatsModule {}
