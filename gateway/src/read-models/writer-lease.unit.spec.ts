import { WriterLease, type LeaseStore } from './writer-lease';

/**
 * The lease's life against a store in memory with the same compare-and-set and expiry as the
 * JetStream one (projection-writers.int.spec.ts runs it against nats-server).
 */
class LeasesInMemory {
  private last = new Map<string, { seq: number; holder: string; expires: number }>();
  private nextSeq = 1;
  unreachable = false;

  constructor(readonly ttlMs: number) {}

  as(holder: string): LeaseStore {
    const put = async (projection: string, expected: number) => {
      if (this.unreachable) throw new Error('NATS is away');
      const current = this.last.get(projection);
      const seq = current && current.expires > Date.now() ? current.seq : 0;
      if (seq !== expected) return undefined;
      const next = { seq: this.nextSeq++, holder, expires: Date.now() + this.ttlMs };
      this.last.set(projection, next);
      return next.seq;
    };
    return {
      ttlMs: this.ttlMs,
      holder,
      acquire: (projection) => put(projection, 0),
      renew: (projection, seq) => put(projection, seq),
      release: async (seq) => {
        for (const [projection, lease] of this.last) if (lease.seq === seq) this.last.delete(projection);
      },
    };
  }

  holderOf(projection: string) {
    const lease = this.last.get(projection);
    return lease && lease.expires > Date.now() ? lease.holder : undefined;
  }
}

const TTL = 250;
const until = async (check: () => boolean, ms = 2_000) => {
  for (const end = Date.now() + ms; !check(); await new Promise((r) => setTimeout(r, 5))) if (Date.now() > end) throw new Error('timed out');
};

describe('writer lease', () => {
  let leases: LeasesInMemory;
  const started: WriterLease[] = [];
  const writer = (holder: string, held: () => Promise<void> = async () => undefined) => {
    const log: string[] = [];
    const lease = new WriterLease(leases.as(holder), 'deployments-view', {
      held: async () => (log.push('held'), held()),
      lost: async () => void log.push('lost'),
    });
    started.push(lease);
    return { lease, log };
  };

  beforeEach(() => (leases = new LeasesInMemory(TTL)));
  afterEach(async () => {
    leases.unreachable = false;
    await Promise.all(started.splice(0).map((l) => l.stop()));
  });

  it('lets one of two gateways write, and keeps it while it renews', async () => {
    const a = writer('a');
    const b = writer('b');
    await Promise.all([a.lease.start(), b.lease.start()]);
    expect([a.lease.mayWrite(), b.lease.mayWrite()].sort()).toEqual([false, true]);
    const [holder, other] = a.lease.mayWrite() ? [a, b] : [b, a];
    await new Promise((r) => setTimeout(r, 3 * TTL));
    expect(holder.lease.mayWrite()).toBe(true);
    expect(holder.log).toEqual(['held']);
    expect(other.log).toEqual([]);
  });

  it('hands over at once when the writer stops, after finishing what it took', async () => {
    const a = writer('a');
    await a.lease.start();
    const b = writer('b');
    await b.lease.start();
    await a.lease.stop();
    expect(a.log).toEqual(['held', 'lost']);
    expect(a.lease.mayWrite()).toBe(false);
    await until(() => b.lease.mayWrite(), TTL / 2);
  });

  it('stops writing before its lease can expire when it cannot renew, and another takes over only after', async () => {
    const a = writer('a');
    await a.lease.start();
    leases.unreachable = true;
    const cut = Date.now();
    await until(() => !a.lease.mayWrite());
    expect(Date.now() - cut).toBeLessThan(TTL);
    expect(leases.holderOf('deployments-view')).toBe('a'); // it stopped before its lease expired: nobody else can write yet
    await until(() => a.log.includes('lost'));
    leases.unreachable = false;
    const b = writer('b');
    await b.lease.start();
    await until(() => b.lease.mayWrite() || a.lease.mayWrite(), 3 * TTL);
    expect(a.lease.mayWrite() && b.lease.mayWrite()).toBe(false);
  });

  it('gives the lease back when it could not start writing', async () => {
    let fail = true;
    const a = writer('a', async () => {
      if (fail) throw new Error('consumer rewind failed');
    });
    await a.lease.start();
    expect(a.lease.mayWrite()).toBe(false);
    await until(() => leases.holderOf('deployments-view') === undefined);
    fail = false;
    await until(() => a.lease.mayWrite(), 3 * TTL);
    expect(a.log).toEqual(['held', 'lost', 'held']);
  });
});
