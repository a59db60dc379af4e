import type { Actor } from '@slipway/proto';
import type { PlatformConnection } from '@slipway/messaging';
import type { LiveProjections } from './read-models/projections';
import type { ReadStore } from './read-store';

/** What every resolver gets: the backbone, the read models, and who is asking. */
export interface GatewayContext {
  platform: PlatformConnection;
  readStore: ReadStore;
  actor: Actor;
  projections: LiveProjections;
}
