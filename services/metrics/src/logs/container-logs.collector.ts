import { PassThrough, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { Logger } from '@nestjs/common';
import type { DockerEngine } from '@slipway/docker-engine';
import { SERVICE_ID_LABEL, type RuntimeLogRecord } from '@slipway/proto';
import { DockerLogFrames } from './docker-log-frames';
import { containerStreamFields, dockerSince, LineSplitter, runtimeLogRecord, timeKey, type ContainerStreamFields } from './runtime-log-line';
import type { VictoriaLogsShipper } from './victorialogs-shipper.adapter';

/** How often the running containers are listed again, in case an event was missed. */
export const RESYNC_MS = 30_000;
/** A container already running when the collector starts is read from this long ago (see the class comment). */
export const CATCH_UP_MS = 60_000;

interface Followed {
  fields: ContainerStreamFields;
  stream: Readable;
}

/**
 * Follows the stdout and stderr of every container labelled slipway.service (production services
 * and preview copies alike) and hands each line to the shipper.
 *
 * Resuming: the time of the last line handed to the shipper is kept per container, in memory (the
 * shipper retries until VictoriaLogs has it, so that line is as good as shipped; resuming from what
 * was already stored instead would repeat the lines of the batch in flight). A container seen for the
 * first time since this process started is read from CATCH_UP_MS ago if it was already running
 * (a restart of the collector repeats at most that minute; a longer outage loses what is older), and
 * from its first line if it started after us. A re-attached container resumes at its last shipped line.
 */
export class ContainerLogsCollector {
  private readonly followed = new Map<string, Followed>();
  private readonly lastTaken = new Map<string, string>();
  private readonly startedAt = Date.now();
  private events: Readable | null = null;
  private resync: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly log = new Logger('runtime-logs');

  constructor(
    private readonly docker: DockerEngine,
    private readonly shipper: VictoriaLogsShipper,
  ) {
  }

  /** Never fails: without Docker now, the next resync tries again. */
  async start() {
    const resync = () => this.sync().catch((err) => this.log.warn(`Cannot list the app containers in Docker: ${(err as Error).message}`));
    await resync();
    this.resync = setInterval(() => void resync(), RESYNC_MS);
  }

  async stop() {
    this.stopped = true;
    if (this.resync) clearInterval(this.resync);
    this.events?.destroy();
    for (const f of this.followed.values()) f.stream.destroy();
    this.followed.clear();
    await this.shipper.flush();
  }

  /** Containers followed now: for the health report and the tests. */
  get containers(): string[] {
    return [...this.followed.keys()];
  }

  /** Lists the running app containers; follows the ones not followed yet. Also reopens the event stream. */
  async sync() {
    if (this.stopped) return;
    if (!this.events) await this.watchEvents();
    const running = await this.docker.listContainers({ label: [SERVICE_ID_LABEL], status: ['running'] });
    for (const c of running) void this.follow(c.Id, c.Labels, c.Created * 1000);
    // Bounded: the resume points of containers that are gone are forgotten.
    const alive = new Set(running.map((c) => c.Id.slice(0, 12)));
    for (const container of this.lastTaken.keys()) if (!alive.has(container)) this.lastTaken.delete(container);
  }

  private async watchEvents() {
    const stream: Readable = await this.docker.events({ type: ['container'], event: ['start'], label: [SERVICE_ID_LABEL] });
    this.events = stream;
    const lines = new LineSplitter((line) => {
      try {
        const event = JSON.parse(line) as { id?: string; Actor?: { Attributes?: Record<string, string> } };
        if (event.id) void this.follow(event.id, event.Actor?.Attributes ?? {}, Date.now());
      } catch {
        // not an event: skip it
      }
    });
    stream.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
    stream.once('close', () => this.events === stream && (this.events = null));
    stream.once('error', () => this.events === stream && (this.events = null));
  }

  private async follow(id: string, labels: Record<string, string>, createdMs: number) {
    if (this.stopped || this.followed.has(id)) return;
    const fields = containerStreamFields(id, labels);
    if (!fields) return;
    const placeholder = { fields, stream: new PassThrough() };
    this.followed.set(id, placeholder); // taken before the first await: one follow per container
    const resumeAt = this.lastTaken.get(fields.container);
    const since = resumeAt ? dockerSince(resumeAt) : createdMs < this.startedAt ? String(Math.floor((Date.now() - CATCH_UP_MS) / 1000)) : '0';
    let raw: Readable;
    try {
      raw = await this.docker.containerLogs(id, { follow: true, stdout: true, stderr: true, timestamps: true, since });
    } catch (err) {
      this.followed.delete(id);
      this.log.warn(`Cannot read the logs of container ${fields.container} (${fields.service}): ${(err as Error).message}`);
      return;
    }
    this.followed.set(id, { fields, stream: raw });
    // One splitter per stream; the lines of one chunk share the time it arrived (used only for a line without Docker's timestamp).
    let receivedAt = '';
    const splitters = {
      stdout: new LineSplitter((line) => this.take(runtimeLogRecord(line, 'stdout', fields, receivedAt), resumeAt)),
      stderr: new LineSplitter((line) => this.take(runtimeLogRecord(line, 'stderr', fields, receivedAt), resumeAt)),
    };
    const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
    const frames = new DockerLogFrames((stream, payload) => splitters[stream].push(decoders[stream].write(payload)));
    raw.on('data', (chunk: Buffer) => {
      receivedAt = new Date().toISOString();
      frames.push(chunk);
    });
    const done = () => {
      if (this.followed.get(id)?.stream !== raw) return;
      splitters.stdout.end();
      splitters.stderr.end();
      this.followed.delete(id);
    };
    raw.once('end', done);
    raw.once('close', done);
    raw.once('error', done);
  }

  /** Lines at or before the resume point are skipped, whatever precision Docker's `since` had. */
  private take(record: RuntimeLogRecord, resumeAt: string | undefined) {
    const key = timeKey(record._time);
    if (resumeAt && key <= resumeAt) return;
    const before = this.lastTaken.get(record.container);
    if (!before || key > before) this.lastTaken.set(record.container, key);
    this.shipper.add(record);
  }

}
