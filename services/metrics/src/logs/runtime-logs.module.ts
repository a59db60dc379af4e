import { Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import Dockerode from 'dockerode';
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
    { provide: Dockerode, useFactory: () => new Dockerode({ socketPath: process.env.DOCKER_SOCKET ?? '/var/run/docker.sock' }) },
    { provide: VictoriaLogsShipper, useFactory: () => new VictoriaLogsShipper(victoriaLogsUrl(process.env.VICTORIALOGS_URL)) },
    { provide: ContainerLogsCollector, useFactory: (docker: Dockerode, shipper: VictoriaLogsShipper) => new ContainerLogsCollector(docker, shipper), inject: [Dockerode, VictoriaLogsShipper] },
    RuntimeLogsLifecycle,
  ],
})
export class RuntimeLogsModule {}
