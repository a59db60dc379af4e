import { Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DockerEngine } from '@slipway/docker-engine';
import { victoriaLogsUrl } from '@slipway/proto';
import { ContainerLogsCollector } from './container-logs.collector';
import { VictoriaLogsShipper } from './victorialogs-shipper.adapter';

/** Starts following the app containers once the service is up; stops and flushes on shutdown. */
@Injectable()
export class RuntimeLogsLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(ContainerLogsCollector) private readonly collector: ContainerLogsCollector) {}
  async onApplicationBootstrap() {
    await this.collector.start();
  }
  async onApplicationShutdown() {
    await this.collector.stop();
  }
}

/** Runtime logs: every app container's stdout and stderr, from Docker into VictoriaLogs. */
@Module({
  providers: [
    { provide: DockerEngine, useFactory: () => new DockerEngine() },
    { provide: VictoriaLogsShipper, useFactory: () => new VictoriaLogsShipper(victoriaLogsUrl(process.env.VICTORIALOGS_URL)) },
    { provide: ContainerLogsCollector, useFactory: (docker: DockerEngine, shipper: VictoriaLogsShipper) => new ContainerLogsCollector(docker, shipper), inject: [DockerEngine, VictoriaLogsShipper] },
    RuntimeLogsLifecycle,
  ],
})
export class RuntimeLogsModule {}
