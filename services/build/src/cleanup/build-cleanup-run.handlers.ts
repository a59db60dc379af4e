import { Controller, Inject, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { aggregate, deriveEventId, type Decider, type StoredEvent } from '@slipway/event-store';
import { OnEvent, PlatformConnection, workflowMetadata } from '@slipway/messaging';
import type { BuildCleanupItemRemoved, BuildCleanupReported, CleanupItem, CleanupPartReported, EventData } from '@slipway/proto';
import { BuildLeftovers, loadProjectNames, planLeftovers } from './build-leftovers';

const CONSUMER = 'build-on-cleanup-deploy-reported';

type Removed = EventData<typeof BuildCleanupItemRemoved>;
type Report = EventData<typeof BuildCleanupReported>;
type Command = { type: 'RecordRemoval'; data: Removed } | { type: 'Report'; data: Report };
type Event = { type: 'BuildCleanupItemRemoved'; data: Removed } | { type: 'BuildCleanupReported'; data: Report };

/** The build part of a run, platform.build.events.cleanup.<runId>: each removal as it happens, the report once. */
const decider: Decider<Command, Event, { reported: boolean }> = {
  initialState: { reported: false },
  decide: (command, state) =>
    command.type === 'RecordRemoval' ? [{ type: 'BuildCleanupItemRemoved', data: command.data }] : state.reported ? [] : [{ type: 'BuildCleanupReported', data: command.data }],
  evolve: (state, event) => (event.type === 'BuildCleanupReported' ? { reported: true } : state),
};
const buildCleanups = aggregate({ decider, stream: (runId) => ({ context: 'build', aggregate: 'cleanup', id: runId }) });

/**
 * Wiring only: once the deploy part has reported (so the registry tags it removed are known), the
 * build service removes their local copies and its own leftovers, then reports its part.
 */
@Controller()
export class BuildCleanupRunHandlers {
  private readonly log = new Logger('cleanup');

  constructor(
    @Inject(PlatformConnection) private readonly platform: PlatformConnection,
    @Inject(BuildLeftovers) private readonly leftovers: BuildLeftovers,
  ) {}

  @OnEvent({ durable: CONSUMER, context: 'deploy', aggregate: 'cleanup', types: ['CleanupPartReported'], ackWaitMs: 300_000 })
  async onDeployReported(@Payload() event: StoredEvent) {
    const deployPart = event.data as EventData<typeof CleanupPartReported>;
    if (deployPart.part !== 'deploy') return;
    const { runId, dryRun } = deployPart;
    const store = this.platform.store;
    if ((await buildCleanups.load(store, runId)).state.reported) return;
    const items: CleanupItem[] = [];
    const notes: string[] = [];
    let error: string | undefined;
    try {
      const removedTags = new Set(deployPart.items.filter((i) => i.kind === 'registry-tag').map((i) => i.name));
      const [images, gitCaches, names] = await Promise.all([this.leftovers.images(), this.leftovers.gitCaches(), loadProjectNames(store)]);
      for (const planned of planLeftovers({ registry: this.leftovers.registry, images, removedTags, names, gitCaches })) {
        const { target, ...listed } = planned;
        const outcome = dryRun ? { bytes: listed.bytes } : await this.leftovers.remove(planned);
        if ('stays' in outcome) {
          notes.push(outcome.stays);
          continue;
        }
        const item = { ...listed, bytes: outcome.bytes };
        items.push(item);
        if (dryRun) continue;
        // The id follows from the item, so a redelivered run records each removal once.
        const metadata = { ...workflowMetadata(CONSUMER, event, 'build'), commandId: deriveEventId(`${CONSUMER}/${runId}/${item.kind}/${target}`, 0) };
        await buildCleanups.handle(store, runId, { type: 'RecordRemoval', data: { ...item, runId } }, metadata);
      }
    } catch (err) {
      error = `stopped after ${items.length} item(s): ${err instanceof Error ? err.message : String(err)}`.slice(0, 1000);
    }
    await buildCleanups.handle(store, runId, { type: 'Report', data: { runId, dryRun, items, notes, ...(error ? { error } : {}) } }, workflowMetadata(CONSUMER, event, 'build'));
    this.log.log(`clean-up ${runId}${dryRun ? ' (dry run)' : ''}: build's part ${items.length} item(s)${error ? `; ${error}` : ''}`);
  }
}
