import type { ServiceSource, ServiceSourceInput } from '@slipway/proto';
import type { SecretBox } from '@slipway/secret-box';

/** Git credentials arrive in clear and are sealed here, before any event holds them. */
export const sealSource = (source: ServiceSourceInput, box: SecretBox): ServiceSource => {
  if (source.kind !== 'git' || !source.credentials) return source as ServiceSource;
  const c = source.credentials;
  const credentials =
    c.kind === 'token' ? { kind: 'token' as const, token: box.seal(c.token) } : { kind: 'deploy-key' as const, privateKey: box.seal(c.privateKey) };
  return { ...source, credentials };
};
