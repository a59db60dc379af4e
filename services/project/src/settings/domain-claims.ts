import { deriveEventId, handleCommand, type EventStore } from '@slipway/event-store';
import { domainClaimId, type CommandMetadata } from '@slipway/proto';
import { domainClaimDecider } from './domain-claim.decider';

const claimStream = (hostname: string) => ({ context: 'project', aggregate: 'domain', id: domainClaimId(hostname) }) as const;

/** A step of a user's command on another stream: ids derived from the command, so a redelivery repeats it exactly. */
const stepMetadata = (metadata: CommandMetadata, step: string): CommandMetadata => ({
  ...metadata,
  commandId: deriveEventId(`${metadata.commandId}/${step}`, 0),
  causationId: metadata.commandId,
});

/** Claims a hostname for a service; true when this call made the claim (false: the service held it already). */
export const claimDomain = async (
  store: EventStore,
  claim: { hostname: string; projectId: string; serviceId: string },
  metadata: CommandMetadata,
): Promise<boolean> => {
  const result = await handleCommand({
    store,
    stream: claimStream(claim.hostname),
    decider: domainClaimDecider,
    command: { type: 'ClaimDomain', data: claim },
    metadata: stepMetadata(metadata, `claim-domain/${claim.hostname}`),
  });
  return result.events.length > 0;
};

/** Releases a hostname if this service holds it; otherwise nothing happens. */
export const releaseDomain = async (store: EventStore, claim: { hostname: string; serviceId: string }, metadata: CommandMetadata, step = 'release-domain') => {
  await handleCommand({
    store,
    stream: claimStream(claim.hostname),
    decider: domainClaimDecider,
    command: { type: 'ReleaseDomain', data: claim },
    metadata: stepMetadata(metadata, `${step}/${claim.hostname}`),
  });
};
