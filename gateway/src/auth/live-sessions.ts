import type { ViewCache } from '../read-models/view-cache';
import type { Principal } from './principal';
import { readPrincipal } from './principal.reader';

/** A graphql-ws connection's socket, as far as closing it goes. */
export interface LiveSocket {
  close(code: number, reason: string): void;
}

/** Where graphql-ws keeps a connection's principal (its `extra`). */
interface ConnectionState {
  principal?: Principal | null;
}

/** Unauthorized, in graphql-ws's close codes: its client does not reconnect after it. */
export const SESSION_ENDED = 4401;
/** Shown by clients as the close reason (a close frame holds at most 123 bytes). */
export const SESSION_ENDED_REASON = 'Your session ended (signed out, revoked or expired): sign in again';

/**
 * The open graphql-ws connections and the token each signed in with. A connection is
 * authenticated once, on connection_init; without this, a live log kept streaming after its
 * session was signed out or its token revoked, on any gateway, until the client reconnected.
 * Whenever credentials, users or memberships change (on any gateway: the view cache hears them
 * all), every connection is checked again: one whose token no longer holds is closed, the others
 * get their principal as it is now (a changed role counts for their next subscription).
 */
export class LiveSessions {
  private readonly open = new Map<LiveSocket, { token: string; state: ConnectionState }>();
  private checking?: Promise<void>;
  private again = false;
  private readonly stopListening: () => void;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly views: ViewCache,
    /** Expiry is a moment, not a change anyone announces: look at least this often. */
    expiryCheckMs = 60_000,
  ) {
    this.stopListening = views.onChange((collection) => {
      if (collection === 'credentials' || collection === 'users' || collection === 'members') void this.check();
    });
    this.timer = setInterval(() => void this.check(), expiryCheckMs).unref();
  }

  add(socket: LiveSocket, state: ConnectionState, token: string): void {
    this.open.set(socket, { token, state });
  }

  remove(socket: LiveSocket): void {
    this.open.delete(socket);
  }

  /** One check at a time; changes heard meanwhile ask for one more after it. */
  check(): Promise<void> {
    if (this.checking) {
      this.again = true;
      return this.checking;
    }
    this.checking = (async () => {
      do {
        this.again = false;
        for (const [socket, { token, state }] of this.open) {
          const principal = await readPrincipal(this.views, token);
          if (principal) {
            state.principal = principal;
            continue;
          }
          this.open.delete(socket);
          socket.close(SESSION_ENDED, SESSION_ENDED_REASON);
        }
      } while (this.again);
    })().finally(() => (this.checking = undefined));
    return this.checking;
  }

  stop(): void {
    this.stopListening();
    clearInterval(this.timer);
  }
}
