import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { JetStreamEventStore, type EventStore } from '@slipway/event-store';
import { ensureLogStream } from './log-stream';
import { busCredentials, type BusIdentity } from './nats-auth';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'closed';

export class PlatformNotReady extends Error {
  readonly code = 'SERVICE_NOT_READY';
  constructor(service: string) {
    super(`${service} is not connected to NATS yet; it retries on its own, try again in a few seconds`);
    this.name = 'PlatformNotReady';
  }
}

/**
 * A service's link to the event backbone. It keeps trying to connect, forever and with backoff,
 * so a service outlives a NATS outage: it reports not-ready meanwhile and recovers on its own.
 */
export class PlatformConnection {
  state: ConnectionState = 'connecting';
  private nc?: NatsConnection;
  private eventStore?: JetStreamEventStore;
  private readonly listeners = new Set<(state: ConnectionState) => void>();
  readonly ready: Promise<void>;

  /** `identity`: whose credential signs in (default: the service's own; tests use `operator`). */
  constructor(
    readonly service: string,
    private readonly natsUrl: string,
    private readonly identity: BusIdentity = service as BusIdentity,
  ) {
    this.ready = this.connect();
    // Keep an unhandled rejection off the process; callers await `ready` when they care.
    this.ready.catch(() => undefined);
  }

  get connection(): NatsConnection {
    if (!this.nc) throw new PlatformNotReady(this.service);
    return this.nc;
  }

  get store(): EventStore {
    if (!this.eventStore) throw new PlatformNotReady(this.service);
    return this.eventStore;
  }

  onStateChange(listener: (state: ConnectionState) => void): void {
    this.listeners.add(listener);
  }

  async close(): Promise<void> {
    this.setState('closed');
    await this.eventStore?.close();
    await this.nc?.drain().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const nc = await connect({
      servers: this.natsUrl,
      name: `slipway-${this.service}`,
      ...busCredentials(this.identity),
      waitOnFirstConnect: true,
      // Each attempt, reconnects included, gives up after 5 s instead of the client's 20: NATS back
      // at another address (a Swarm task moved) was found 20-65 s late by a service still waiting on
      // the old one (ADR 0029).
      timeout: 5_000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      reconnectJitter: 250,
      pingInterval: 5_000,
      maxPingOut: 2,
    });
    // Closed while still connecting: close() found nothing to close, so this connection (which
    // would reconnect forever) is closed here. A test that never awaited `ready` leaked one so.
    if (this.state === 'closed') {
      await nc.close();
      throw new Error(`${this.service}: closed before it connected`);
    }
    this.nc = nc;
    void this.watch(this.nc);
    this.eventStore = await JetStreamEventStore.create(this.nc);
    await ensureLogStream(await jetstreamManager(this.nc));
    this.setState('connected');
  }

  private async watch(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') this.setState('disconnected');
      if (status.type === 'reconnect') this.setState('connected');
      // A publish the server's rules refuse is not an exception at the call: say it loudly.
      if (status.type === 'error') console.error(`${this.service} (as ${this.identity}): NATS refused: ${status.error.message}`);
    }
  }

  private setState(state: ConnectionState): void {
    if (this.state === state || this.state === 'closed') return;
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}
