import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { dnsLabel, id, imageRef } from './common';

const where = { context: 'project', aggregate: 'project' } as const;

export const serviceSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('git'), url: z.string().min(1), ref: z.string().min(1) }),
  z.object({ kind: z.literal('image'), ref: imageRef }),
  z.object({ kind: z.literal('archive'), archiveId: id }),
]);

export const ProjectCreated = defineEvent(
  'ProjectCreated',
  where,
  z.object({ projectId: id, name: dnsLabel, createdAt: z.iso.datetime() }),
);

export const ServiceCreated = defineEvent(
  'ServiceCreated',
  where,
  z.object({
    projectId: id,
    serviceId: id,
    name: dnsLabel,
    source: serviceSourceSchema,
    port: z.number().int().min(1).max(65535),
    replicas: z.number().int().min(1).max(10),
  }),
);

export const projectEvents = [ProjectCreated, ServiceCreated] as const;
