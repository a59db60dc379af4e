import { Controller, Inject, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleCommand, type StoredEvent } from '@slipway/event-store';
import { OnEvent, PlatformConnection, publishLogLine, workflowMetadata } from '@slipway/messaging';
import type { BuildRequested, EventData } from '@slipway/proto';
import { BuildError, buildConfigFromEnv, runBuild, type BuildLogLine } from '../runner';
import { buildDecider, type BuildCommand } from './build.decider';
import { RunningBuilds } from './running-builds';

const RUNNER = 'build-runner';

/**
 * Runs a requested build: clone, build, push, with every log line published live; records
 * BuildStarted, then BuildSucceeded or BuildFailed. A cancelled deployment aborts its build.
 */
@Controller()
export class BuildRunnerHandlers {
  private readonly log = new Logger(RUNNER);
  private readonly config = buildConfigFromEnv();

  constructor(
    @Inject(PlatformConnection) private readonly platform: PlatformConnection,
    @Inject(RunningBuilds) private readonly running: RunningBuilds,
  ) {}

  // A running build keeps its event (the store's heartbeat); a runner killed mid-build has it handed
  // out again within the 30 s ack wait, and the build starts over. Three crashes end it (a dead letter).
  @OnEvent({ durable: RUNNER, context: 'build', aggregate: 'build', types: ['BuildRequested'], maxDeliver: 3 })
  async onBuildRequested(@Payload() event: StoredEvent) {
    const job = event.data as EventData<typeof BuildRequested>;
    const state = (await this.platform.store.read(this.stream(job.buildId))).events.at(-1)?.type;
    if (state === 'BuildSucceeded' || state === 'BuildFailed') return; // a redelivery of a finished build
    // Handed out again after a crash, its deployment may have ended meanwhile (a deadline, a cancel): build nothing.
    const ended = (await this.platform.store.read({ context: 'deploy', aggregate: 'deployment', id: job.deploymentId })).events.find(
      (e) => e.type === 'DeploymentFailed' || e.type === 'DeploymentCancelled',
    );
    if (ended) {
      const reason = `Not built: the deployment had already ended (${ended.type === 'DeploymentFailed' ? 'failed' : 'cancelled'})`;
      return this.decide(event, 1, { type: 'FailBuild', data: { buildId: job.buildId, reason, lastLogLines: [] } });
    }

    const signal = this.running.start(job.buildId, job.serviceId);
    const nc = this.platform.connection;
    const logLine = (line: BuildLogLine) => publishLogLine(nc, job.deploymentId, { timestamp: new Date().toISOString(), ...line });
    let started: Promise<unknown> = Promise.resolve();
    try {
      logLine({ stream: 'system', message: `Build ${job.buildId} of ${job.projectName}/${job.serviceName} started` });
      const outcome = await runBuild(job, this.config, {
        onLog: logLine,
        onStarted: ({ commitSha, strategy }) => {
          started = this.decide(event, 0, { type: 'StartBuild', data: { buildId: job.buildId, commitSha, strategy } });
        },
        signal,
      });
      await started;
      logLine({ stream: 'system', message: `Pushed ${outcome.imageRef} (${outcome.digest})` });
      await this.decide(event, 1, { type: 'CompleteBuild', data: { buildId: job.buildId, imageRef: outcome.imageRef, digest: outcome.digest } });
    } catch (err) {
      await started.catch(() => undefined);
      const reason = signal.aborted
        ? 'Stopped: its deployment was cancelled or ended while it was building'
        : err instanceof BuildError
          ? err.reason
          : `Build crashed: ${err instanceof Error ? err.message : String(err)}`;
      const lastLogLines = err instanceof BuildError ? err.lastLogLines.slice(-50) : [];
      if (!(err instanceof BuildError) && !signal.aborted) this.log.error(`${job.buildId}: ${reason}`);
      logLine({ stream: 'system', message: `Build failed: ${reason}` });
      await this.decide(event, 1, { type: 'FailBuild', data: { buildId: job.buildId, reason, lastLogLines } });
    } finally {
      this.running.finish(job.buildId);
    }
  }

  // A deployment cancelled, or failed by its deadline, stops its build (the durable's name predates the second).
  @OnEvent({ durable: 'build-on-deployment-cancelled', context: 'deploy', aggregate: 'deployment', types: ['DeploymentCancelled', 'DeploymentFailed'] })
  async onDeploymentEnded(@Payload() event: StoredEvent) {
    this.running.stop(String(event.data.deploymentId));
  }

  private stream(buildId: string) {
    return { context: 'build', aggregate: 'build', id: buildId } as const;
  }

  private decide(event: StoredEvent, index: number, command: BuildCommand) {
    return handleCommand({
      store: this.platform.store,
      stream: this.stream(command.data.buildId),
      decider: buildDecider,
      command,
      metadata: workflowMetadata(RUNNER, event, 'build', index),
    });
  }
}
