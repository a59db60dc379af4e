import type { Request, Response } from 'express';
import type { Actor } from '@slipway/proto';
import type { PlatformConnection } from '@slipway/messaging';
import type { Principal } from './auth/principal';
import type { LiveProjections } from './read-models/projections';
import type { ReadStore } from './read-store';
import type { ViewCache } from './read-models/view-cache';
import type { HealthReports } from './health/health.reader';

/** What every resolver gets: the backbone, the read models, and who is asking. */
export interface GatewayContext {
  platform: PlatformConnection;
  readStore: ReadStore;
  /** The hot read models in memory: projects, services and who is asking. */
  views: ViewCache;
  /** Null for an anonymous request; only public operations get that far. */
  principal: Principal | null;
  /** The principal as events record it. */
  actor: Actor;
  projections: LiveProjections;
  /** The platform's health, read at most once a second for everyone who asks. */
  health: HealthReports;
  /** The HTTP exchange, for the session cookie (absent on graphql-ws). */
  http?: { req: Request; res: Response };
  /**
   * On graphql-ws: the connection's principal as it is now (LiveSessions refreshes it whenever
   * credentials, users or memberships change), so a live subscription is authorised at every event.
   */
  livePrincipal?: () => Principal | null;
}
