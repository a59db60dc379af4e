import type { Subscription } from './event-store.port';

/** The live subscriptions of a store: each stops its source, then waits for its last delivery. */
export class SubscriptionSet {
  private readonly live = new Set<Subscription>();

  track(delivering: Promise<void>, closeSource: () => Promise<unknown>): Subscription {
    const subscription: Subscription = {
      stop: async () => {
        this.live.delete(subscription);
        await closeSource();
        await delivering.catch(() => undefined);
      },
    };
    this.live.add(subscription);
    return subscription;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.live].map((s) => s.stop()));
  }
}
