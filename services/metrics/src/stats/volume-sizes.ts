import { Logger } from '@nestjs/common';
import type { DockerEngine, DockerVolume } from '@slipway/docker-engine';
import { renderSamples, runtimeMetric, type Sample } from '@slipway/proto';
import type { VictoriaMetricsWriter } from './victoria-metrics.writer';

/** One sample per Slipway volume (labelled slipway.project): its size on disk as Docker measures it. */
export const volumeSamples = (volumes: DockerVolume[], at: number): Sample[] =>
  volumes
    .filter((v) => v.Labels?.['slipway.project'] && (v.UsageData?.Size ?? -1) >= 0)
    .map((v) => ({ name: runtimeMetric.volumeBytes, labels: { project: v.Labels!['slipway.project']!, volume: v.Name }, value: v.UsageData!.Size!, at }));

/**
 * Every minute (VOLUME_SIZES_INTERVAL_MS): the size of each Slipway volume, for the projects'
 * storage quota. Docker's `system df` walks the volumes' files, so it runs only when there are any.
 */
export class VolumeSizes {
  private readonly log = new Logger('volume-sizes');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly docker: DockerEngine,
    private readonly writer: VictoriaMetricsWriter,
    private readonly intervalMs = Number(process.env.VOLUME_SIZES_INTERVAL_MS ?? 60_000),
  ) {}

  start(): void {
    const tick = () => {
      this.running ??= this.collect()
        .catch((err: Error) => this.log.warn(`could not measure volumes: ${err.message}`))
        .finally(() => (this.running = undefined));
    };
    tick();
    this.timer = setInterval(tick, this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async collect(at = Date.now()): Promise<number> {
    const listed = await this.docker.listVolumes({ label: ['slipway.project'] });
    if (!listed.Volumes?.length) return 0;
    const df = await this.docker.diskUsage(['volume']);
    const samples = volumeSamples(df.Volumes ?? [], at);
    if (samples.length) await this.writer.write(renderSamples(samples));
    return samples.length;
  }
}
