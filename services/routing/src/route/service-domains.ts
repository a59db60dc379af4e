import type { DomainEvent } from '@slipway/event-store';

/**
 * A service's custom domains as they are now, from its project's events. Routing always uses these,
 * not a deployment's snapshot: a domain removed (and perhaps claimed by another service since) must
 * never come back with a rollback or a redeployment that was requested before the removal.
 */
export const currentDomains = (projectEvents: readonly DomainEvent[], serviceId: string): string[] => {
  let domains: string[] = [];
  for (const e of projectEvents) {
    if (e.data.serviceId !== serviceId) continue;
    if (e.type === 'ServiceCreated') domains = [...((e.data.spec as { domains: string[] }).domains ?? [])];
    // Each change carries the whole list after it.
    if (e.type === 'ServiceDomainAdded' || e.type === 'ServiceDomainRemoved') domains = [...(e.data.domains as string[])];
  }
  return domains;
};
