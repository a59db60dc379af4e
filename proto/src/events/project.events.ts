import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { dnsLabel, id, timestamp } from './common';
import { encryptedSecret, serviceSpec } from './service-spec';

const where = { context: 'project', aggregate: 'project' } as const;

/** A project name is global (it is part of every hostname): its claim is a stream of its own. */
export const ProjectNameClaimed = defineEvent(
  'ProjectNameClaimed',
  { context: 'project', aggregate: 'project-name' },
  z.object({ name: dnsLabel, projectId: id }),
);

export const ProjectCreated = defineEvent('ProjectCreated', where, z.object({ projectId: id, name: dnsLabel, createdAt: timestamp }));

export const ServiceCreated = defineEvent(
  'ServiceCreated',
  where,
  z.object({ projectId: id, serviceId: id, name: dnsLabel, spec: serviceSpec }),
);

/** The secret git hosts sign webhooks with (sealed; shown once, when set). */
export const WebhookSecretSet = defineEvent('WebhookSecretSet', where, z.object({ projectId: id, secret: encryptedSecret }));

export const projectEvents = [ProjectNameClaimed, ProjectCreated, ServiceCreated, WebhookSecretSet] as const;
