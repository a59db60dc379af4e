import { createHash } from 'node:crypto';

/**
 * The id of the n-th event a command yields, derived from the command id: a redelivered command
 * produces the same ids, which the store deduplicates (JetStream Nats-Msg-Id, EventStoreDB event
 * id). Formatted as an RFC 4122 version-5 style UUID, which EventStoreDB requires.
 */
export const deriveEventId = (causeId: string, index: number): string => {
  const hex = createHash('sha1').update(`${causeId}#${index}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};
