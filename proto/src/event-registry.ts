import type { z } from 'zod';
import type { EventDefinition } from './event-definition';
import { buildEvents } from './events/build.events';
import { deployEvents } from './events/deploy.events';
import { previewEvents } from './events/preview.events';
import { lifecycleEvents } from './events/lifecycle.events';
import { identityEvents } from './events/identity.events';
import { membershipEvents } from './events/membership.events';
import { projectEvents } from './events/project.events';
import { quotaEvents } from './events/quota.events';
import { routingEvents } from './events/routing.events';
import { settingsEvents } from './events/settings.events';
import { volumeEvents } from './events/volume.events';
import { composeEvents } from './events/compose.events';
import { systemEvents } from './events/system.events';
import { cleanupEvents } from './events/cleanup.events';
import { alertEvents } from './events/alert.events';
import { backupEvents } from './events/backup.events';

/** A payload that does not match its schema; `field` is the dotted path of the first bad field. */
export class InvalidEventPayload extends Error {
  readonly code = 'INVALID_EVENT_PAYLOAD';
  constructor(
    readonly eventType: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${eventType}: field "${field}" ${problem}`);
    this.name = 'InvalidEventPayload';
  }
}

export class UnknownEventType extends Error {
  readonly code = 'UNKNOWN_EVENT_TYPE';
  constructor(
    readonly eventType: string,
    readonly version?: number,
  ) {
    super(
      version === undefined
        ? `Unknown event type "${eventType}": add its schema to proto/ first`
        : `Event type "${eventType}" has no version ${version}`,
    );
    this.name = 'UnknownEventType';
  }
}

export const describeZodError = (error: z.ZodError): { field: string; problem: string } => {
  const issue = error.issues[0];
  return { field: issue.path.length ? issue.path.join('.') : '(root)', problem: issue.message };
};

/** The schemas every event store checks against: appends are validated, reads are upcast. */
export interface EventSchemaRegistry {
  /** Checks `data` against `type`@`version`; returns the parsed payload or throws InvalidEventPayload. */
  validate(type: string, version: number, data: unknown): Record<string, unknown>;
  /** Brings a stored payload of any known version to the latest version of its type. */
  upcast(type: string, version: number, data: Record<string, unknown>): { version: number; data: Record<string, unknown> };
  latestVersion(type: string): number;
}

export const createEventRegistry = (definitions: readonly EventDefinition[]): EventSchemaRegistry => {
  const byType = new Map(definitions.map((d) => [d.type, d]));
  const definition = (type: string) => {
    const found = byType.get(type);
    if (!found) throw new UnknownEventType(type);
    return found;
  };
  const versionOf = (type: string, version: number) => {
    const found = definition(type).versions[version - 1];
    if (!found) throw new UnknownEventType(type, version);
    return found;
  };
  return {
    validate(type, version, data) {
      const result = versionOf(type, version).schema.safeParse(data);
      if (!result.success) {
        const { field, problem } = describeZodError(result.error);
        throw new InvalidEventPayload(type, field, problem);
      }
      return result.data as Record<string, unknown>;
    },
    upcast(type, version, data) {
      const def = definition(type);
      versionOf(type, version);
      let current = data;
      for (let v = version + 1; v <= def.latestVersion; v++) current = def.versions[v - 1].upcastFrom!(current);
      return { version: def.latestVersion, data: current };
    },
    latestVersion: (type) => definition(type).latestVersion,
  };
};

export const allEventDefinitions: readonly EventDefinition[] = [
  ...projectEvents,
  ...membershipEvents,
  ...identityEvents,
  ...settingsEvents,
  ...lifecycleEvents,
  ...volumeEvents,
  ...composeEvents,
  ...buildEvents,
  ...deployEvents,
  ...routingEvents,
  ...quotaEvents,
  ...previewEvents,
  ...systemEvents,
  ...cleanupEvents,
  ...alertEvents,
  ...backupEvents,
];

export const eventRegistry = createEventRegistry(allEventDefinitions);
