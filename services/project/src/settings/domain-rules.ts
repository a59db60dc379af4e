import { DomainError } from '@slipway/messaging';

/** The most domains one service may have. */
export const MAX_DOMAINS = 50;

/**
 * The one check for a domain a service is given, at creation or later: names under the instance's
 * base domain are the platform's own (each service's automatic name), so nobody may claim one.
 */
export const refuseReservedDomain = (hostname: string, platformDomain: string): void => {
  if (hostname === platformDomain || hostname.endsWith(`.${platformDomain}`)) {
    throw new DomainError(
      'RESERVED_DOMAIN',
      `${hostname} is under ${platformDomain}, the platform's own domain, where services get their names automatically; use a domain of your own`,
      'hostname',
    );
  }
};
