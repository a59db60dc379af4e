import { Controller, Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { deriveEventId, RedeliverLater, type StoredEvent } from '@slipway/event-store';
import { Command, DomainError, newCommandMetadata, OnEvent, PlatformConnection, workflowMetadata, type CommandPayload } from '@slipway/messaging';
import { RunCleanup, type CleanupItem, type CleanupPart, type CommandMetadata } from '@slipway/proto';
import { cleanupRuns, missingParts } from './cleanup-run.decider';
import { cleanupSettingsFromEnv, loadRuns, runUnderWay, scheduledRunId } from './cleanup-schedule';
import { sweepDeployPart, type SweepReport } from './deploy-sweep';
import { RegistryTags } from './registry-tags.adapter';
import { SwarmInventory } from './swarm-inventory.adapter';

const RUN = 'deploy-cleanup-run';
const DEADLINE = 'deploy-cleanup-deadline';
const ROUTING = 'deploy-on-routing-cleanup-reported';
const BUILD = 'deploy-on-build-cleanup-reported';

type PartReport = { runId: string; dryRun: boolean; items: CleanupItem[]; notes: string[]; error?: string };

/**
 * Wiring only: a run started (by a person, or by the schedule every SLIPWAY_CLEANUP_EVERY_H
 * hours), the deploy service's part swept, the other parts' reports joined, and the deadline.
 */
@Controller()
export class CleanupHandlers implements OnApplicationBootstrap {
  private readonly settings = cleanupSettingsFromEnv();
  private readonly log = new Logger('cleanup');

  constructor(
    @Inject(PlatformConnection) private readonly platform: PlatformConnection,
    @Inject(SwarmInventory) private readonly swarm: SwarmInventory,
    @Inject(RegistryTags) private readonly registry: RegistryTags,
  ) {}

  onApplicationBootstrap() {
    if (!this.settings.everyHours) return;
    const check = () => void this.platform.ready.then(() => this.runIfDue()).catch((err) => this.log.warn(`clean-up schedule: ${err}`));
    setInterval(check, this.settings.checkMs).unref();
  }

  @Command(RunCleanup)
  async run(@Payload() { data, metadata }: CommandPayload<{ runId: string; dryRun: boolean }>) {
    const under = data.dryRun ? undefined : runUnderWay(await loadRuns(this.platform.store), new Date(metadata.now));
    if (under && under[0] !== data.runId) {
      throw new DomainError('CLEANUP_RUNNING', `A clean-up is under way already (started ${under[1].status === 'none' ? '' : under[1].started.startedAt}): wait for its report`, 'dryRun');
    }
    await this.start(data.runId, data.dryRun, 'manual', metadata);
    return { runId: data.runId };
  }

  /** The deploy service's part: Swarm services, networks, registry tags. */
  @OnEvent({ durable: RUN, context: 'deploy', aggregate: 'cleanup', types: ['CleanupStarted'], ackWaitMs: 600_000, maxDeliver: 3 })
  async onStarted(@Payload() event: StoredEvent) {
    const runId = event.aggregateId;
    const { state } = await cleanupRuns.load(this.platform.store, runId);
    if (state.status !== 'running' || state.parts.deploy) return;
    const { dryRun, keepDeployments } = state.started;
    const report: SweepReport & { error?: string } = { items: [], notes: [], reclaimedBytes: 0 };
    const started = Date.now();
    try {
      await sweepDeployPart({
        store: this.platform.store,
        swarm: this.swarm,
        registry: this.registry,
        registryHost: process.env.REGISTRY || '127.0.0.1:5000',
        dryRun,
        keepDeployments,
        minAgeMs: this.settings.minAgeMs,
        report,
        listed: async (item) => {
          if (dryRun) return;
          // The id follows from the item, so a redelivered run records each removal once.
          const metadata = { ...workflowMetadata(RUN, event, 'deploy'), commandId: deriveEventId(`${RUN}/${runId}/${item.kind}/${item.name}`, 0) };
          await cleanupRuns.handle(this.platform.store, runId, { type: 'RecordRemoval', data: { ...item, runId, part: 'deploy' } }, metadata);
        },
      });
    } catch (err) {
      report.error = `stopped after ${report.items.length} item(s): ${err instanceof Error ? err.message : String(err)}`.slice(0, 1000);
    }
    const now = new Date().toISOString();
    await cleanupRuns.handle(this.platform.store, runId, { type: 'ReportPart', data: { runId, part: 'deploy', dryRun, ...report }, now }, workflowMetadata(RUN, event, 'deploy'));
    this.log.log(`clean-up ${runId}${dryRun ? ' (dry run)' : ''}: deploy's part ${report.items.length} item(s), ${report.reclaimedBytes} bytes, ${Date.now() - started} ms${report.error ? `; ${report.error}` : ''}`);
  }

  @OnEvent({ durable: ROUTING, context: 'routing', aggregate: 'cleanup', types: ['RoutingCleanupReported'] })
  async onRoutingReported(@Payload() event: StoredEvent) {
    await this.joinPart(event, ROUTING, 'routing');
  }

  @OnEvent({ durable: BUILD, context: 'build', aggregate: 'cleanup', types: ['BuildCleanupReported'] })
  async onBuildReported(@Payload() event: StoredEvent) {
    await this.joinPart(event, BUILD, 'build');
  }

  /** Every run ends: one whose parts have not all reported by its deadline fails, naming them. */
  @OnEvent({ durable: DEADLINE, context: 'deploy', aggregate: 'cleanup', types: ['CleanupStarted'], maxDeliver: Infinity })
  async watch(@Payload() event: StoredEvent) {
    const runId = event.aggregateId;
    const { state } = await cleanupRuns.load(this.platform.store, runId);
    if (state.status !== 'running') return;
    const left = Date.parse(state.started.deadline) - Date.now();
    if (left > 0) throw new RedeliverLater(Math.min(left, 60_000) + 250, `clean-up ${runId} under way`);
    const missing = missingParts(state);
    const minutes = Math.round((Date.parse(state.started.deadline) - Date.parse(state.started.startedAt)) / 60_000);
    const reason = `The ${missing.join(' and ')} service${missing.length > 1 ? 's' : ''} did not report within ${minutes} minute(s) (is it running?)`;
    const metadata = workflowMetadata(DEADLINE, event, 'deploy');
    await cleanupRuns.handle(this.platform.store, runId, { type: 'FailCleanup', data: { runId, reason }, now: metadata.now }, metadata);
  }

  private async joinPart(event: StoredEvent, consumer: string, part: CleanupPart) {
    const d = event.data as PartReport;
    const data = { runId: d.runId, part, dryRun: d.dryRun, items: d.items, notes: d.notes, reclaimedBytes: d.items.reduce((n, i) => n + i.bytes, 0), ...(d.error ? { error: d.error } : {}) };
    const metadata = workflowMetadata(consumer, event, 'deploy');
    await cleanupRuns.handle(this.platform.store, d.runId, { type: 'ReportPart', data, now: metadata.now }, metadata);
  }

  private start(runId: string, dryRun: boolean, trigger: 'manual' | 'schedule', metadata: CommandMetadata) {
    const now = Date.parse(metadata.now);
    const data = { runId, dryRun, trigger, keepDeployments: this.settings.keepDeployments, startedAt: metadata.now, deadline: new Date(now + this.settings.deadlineMs).toISOString() };
    return cleanupRuns.handle(this.platform.store, runId, { type: 'StartCleanup', data }, metadata);
  }

  /** One run per period: its id is the period's, so a second process (or a restart) finds it there. */
  private async runIfDue() {
    const now = new Date();
    const runId = scheduledRunId(now, this.settings.everyHours);
    const runs = await loadRuns(this.platform.store);
    if (runs.has(runId) || runUnderWay(runs, now)) return;
    const { events } = await this.start(runId, false, 'schedule', newCommandMetadata({ kind: 'service', id: 'deploy' }));
    if (events.length) this.log.log(`scheduled clean-up ${runId} started`);
  }
}
