import { join } from 'node:path';
import { Controller, Inject, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { configuredPassphrase, createBackup } from '@slipway/backup';
import { DockerEngine } from '@slipway/docker-engine';
import { RedeliverLater, type StoredEvent } from '@slipway/event-store';
import { Command, newCommandMetadata, OnEvent, PlatformConnection, workflowMetadata, type CommandPayload } from '@slipway/messaging';
import { BackupRequested, CreateBackup, payloadOf, type CommandMetadata } from '@slipway/proto';
import { registryAuth } from '@slipway/secret-box';
import { backups, loadBackups } from './backup.aggregate';
import { backupSettingsFromEnv, backupUnderWay, scheduledBackupDue } from './backup-schedule';

const WRITE = 'backup-write';
const DEADLINE = 'backup-deadline';

/**
 * Wiring only: a backup asked for by the instance owner (CreateBackup) or by the schedule every
 * SLIPWAY_BACKUP_EVERY_H hours, written by this part with the passphrase only it reads, and ended
 * at its deadline whatever happened to the writer.
 */
@Controller()
export class BackupHandlers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly settings = backupSettingsFromEnv();
  private readonly log = new Logger('backup');
  private timer?: NodeJS.Timeout;
  /** One archive at a time in this process: each write waits for the one before. */
  private writing: Promise<unknown> = Promise.resolve();
  /** Requests one after the other, so two asked for at once cannot both find none under way. */
  private asking: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(PlatformConnection) private readonly platform: PlatformConnection,
    @Inject(DockerEngine) private readonly docker: DockerEngine,
  ) {}

  onApplicationBootstrap() {
    if (!this.settings.everyHours) return;
    const check = () => void this.platform.ready.then(() => this.requestIfDue()).catch((err) => this.log.warn(`backup schedule: ${err}`));
    // Looked at once at start too: what is due follows from the events, not from this process's age.
    setTimeout(check, 1_000).unref();
    this.timer = setInterval(check, this.settings.checkMs).unref();
  }

  onApplicationShutdown() {
    clearInterval(this.timer);
  }

  @Command(CreateBackup)
  async create(@Payload() { data, metadata }: CommandPayload<{ backupId: string }>) {
    await this.request(data.backupId, 'manual', metadata);
    return { backupId: data.backupId };
  }

  @OnEvent({ durable: WRITE, context: 'backup', aggregate: 'backup', types: ['BackupRequested'], ackWaitMs: 60_000, maxDeliver: 3 })
  async onRequested(@Payload() event: StoredEvent) {
    const { backupId } = payloadOf(BackupRequested, event);
    const write = this.writing.then(() => this.write(event, backupId));
    this.writing = write.catch(() => undefined);
    await write;
  }

  /** Every backup ends: one still being written at its deadline fails, saying what to look at. */
  @OnEvent({ durable: DEADLINE, context: 'backup', aggregate: 'backup', types: ['BackupRequested'], maxDeliver: Infinity })
  async watch(@Payload() event: StoredEvent) {
    const { backupId, requestedAt, deadline } = payloadOf(BackupRequested, event);
    const { state } = await backups.load(this.platform.store, backupId);
    if (state.status !== 'running') return;
    const left = Date.parse(deadline) - Date.now();
    if (left > 0) throw new RedeliverLater(Math.min(left, 60_000) + 250, `backup ${backupId} being written`);
    const minutes = Math.max(1, Math.round((Date.parse(deadline) - Date.parse(requestedAt)) / 60_000));
    const reason =
      `The backup did not end within ${minutes} minute(s): the backup part stopped while writing it, or it is slow (large volumes, a slow registry). ` +
      `Look at Slipway's log (${join(this.settings.dataDir, 'logs', 'slipway.log')}), raise SLIPWAY_BACKUP_DEADLINE_S if it needs longer, and ask for a new backup`;
    await this.fail(DEADLINE, event, backupId, reason);
  }

  private async write(event: StoredEvent, backupId: string) {
    const { state } = await backups.load(this.platform.store, backupId);
    // Ended already, or past its deadline (the watcher fails it): a redelivery writes nothing.
    if (state.status !== 'running') return;
    const left = Date.parse(state.requested.deadline) - Date.now();
    if (left <= 0) return;
    const registry = process.env.REGISTRY || '127.0.0.1:5000';
    const started = Date.now();
    // At the deadline the write stops, so the next backup does not wait behind one that hangs.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), Math.min(left, 2 ** 31 - 1));
    try {
      // Inside the try: a passphrase file that cannot be read ends the backup saying so, not at its deadline.
      const found = configuredPassphrase(this.settings.dataDir);
      if ('problem' in found) return await this.fail(WRITE, event, backupId, found.problem);
      this.log.log(`backup ${backupId} (${state.requested.trigger}): writing to ${this.settings.dir}`);
      const result = await createBackup({
        nc: this.platform.connection,
        docker: this.docker,
        registry,
        // The registry has no per-user rights; deploy's sign-in pulls (ADR 0027, addendum).
        registryAuth: registryAuth('deploy', registry, this.settings.dataDir),
        keyFile: join(this.settings.dataDir, 'secrets', 'platform.key'),
        passphrase: found.passphrase,
        outDir: this.settings.dir,
        keep: state.requested.keep,
        progress: (line) => this.log.log(`backup ${backupId}: ${line}`),
        signal: deadline.signal,
      });
      const { manifest } = result;
      const data = {
        backupId,
        file: result.file.split('/').pop()!,
        bytes: result.bytes,
        durationMs: Date.now() - started,
        events: manifest.streams.reduce((n, s) => n + s.messages, 0),
        images: manifest.images.length,
        volumes: manifest.volumes.length,
        pruned: result.pruned,
        completedAt: new Date().toISOString(),
      };
      await backups.handle(this.platform.store, backupId, { type: 'CompleteBackup', data }, workflowMetadata(WRITE, event, 'backup'));
      this.log.log(`backup ${backupId}: ${data.file}, ${data.bytes} bytes in ${data.durationMs} ms${data.pruned.length ? `; removed ${data.pruned.join(', ')}` : ''}`);
    } catch (err) {
      // Stopped at its deadline: the deadline watcher fails it, with a reason that says what to look at.
      if (deadline.signal.aborted) return;
      const message = err instanceof Error ? err.message : String(err);
      await this.fail(WRITE, event, backupId, `The backup could not be written: ${message}. Fix that, then ask for a new backup`.slice(0, 2000));
    } finally {
      clearTimeout(timer);
    }
  }

  private async fail(consumer: string, event: StoredEvent, backupId: string, reason: string) {
    const metadata = workflowMetadata(consumer, event, 'backup');
    await backups.handle(this.platform.store, backupId, { type: 'FailBackup', data: { backupId, reason }, now: metadata.now }, metadata);
    this.log.warn(`backup ${backupId} failed: ${reason}`);
  }

  private request(backupId: string, trigger: 'manual' | 'schedule', metadata: CommandMetadata) {
    const asked = this.asking.then(() => this.decideRequest(backupId, trigger, metadata));
    this.asking = asked.catch(() => undefined);
    return asked;
  }

  private async decideRequest(backupId: string, trigger: 'manual' | 'schedule', metadata: CommandMetadata) {
    const now = Date.parse(metadata.now);
    const found = configuredPassphrase(this.settings.dataDir);
    const facts = { underWay: backupUnderWay(await loadBackups(this.platform.store), new Date(now)), passphraseProblem: 'problem' in found ? found.problem : undefined };
    const data = { backupId, trigger, requestedAt: metadata.now, deadline: new Date(now + this.settings.deadlineMs).toISOString(), keep: this.settings.keep };
    return backups.handle(this.platform.store, backupId, { type: 'RequestBackup', data, facts }, metadata);
  }

  private async requestIfDue() {
    const backupId = scheduledBackupDue(await loadBackups(this.platform.store), new Date(), this.settings.everyHours);
    if (!backupId) return;
    const { events } = await this.request(backupId, 'schedule', newCommandMetadata({ kind: 'service', id: 'backup' }));
    if (events.length) this.log.log(`scheduled backup ${backupId} asked for`);
  }
}
