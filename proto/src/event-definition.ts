import { z } from 'zod';
import type { Context } from './subjects';

type Payload = Record<string, unknown>;

/**
 * One version of an event type. Every version after the first carries `upcastFrom`, which turns a
 * payload of the previous version into this one, so stored events of any age read as the latest.
 */
export interface EventVersion {
  version: number;
  schema: z.ZodObject;
  upcastFrom?: (previous: Payload) => Payload;
}

export interface EventDefinition<Type extends string = string, Latest extends z.ZodObject = z.ZodObject> {
  type: Type;
  context: Context;
  aggregate: string;
  versions: readonly EventVersion[];
  latest: Latest;
  latestVersion: number;
  /** A new version of this event; `upcastFrom` maps the current latest payload to the new one. */
  withVersion<Next extends z.ZodObject>(
    schema: Next,
    upcastFrom: (previous: z.infer<Latest>) => z.input<Next>,
  ): EventDefinition<Type, Next>;
}

const build = <Type extends string, Latest extends z.ZodObject>(
  type: Type,
  where: { context: Context; aggregate: string },
  versions: EventVersion[],
): EventDefinition<Type, Latest> => ({
  type,
  ...where,
  versions,
  latest: versions[versions.length - 1].schema as Latest,
  latestVersion: versions.length,
  withVersion: (schema, upcastFrom) =>
    build(type, where, [
      ...versions,
      { version: versions.length + 1, schema, upcastFrom: upcastFrom as unknown as EventVersion['upcastFrom'] },
    ]),
});

export const defineEvent = <Type extends string, V1 extends z.ZodObject>(
  type: Type,
  where: { context: Context; aggregate: string },
  v1: V1,
): EventDefinition<Type, V1> => build(type, where, [{ version: 1, schema: v1 }]);

/** The latest payload type of an event definition. */
export type EventData<D> = D extends EventDefinition<string, infer S> ? z.infer<S> : never;

/**
 * A consumed event's payload checked against its type's latest schema (stored events are upcast
 * on read): handlers get typed data instead of casting `event.data`.
 */
export const payloadOf = <D extends EventDefinition>(definition: D, event: { type: string; data: unknown }): EventData<D> => {
  if (event.type !== definition.type) throw new Error(`expected a ${definition.type} event, got ${event.type}`);
  return definition.latest.parse(event.data) as EventData<D>;
};
