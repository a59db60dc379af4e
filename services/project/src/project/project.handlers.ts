import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { deriveEventId, handleCommand } from '@slipway/event-store';
import { Command, PlatformConnection, type CommandPayload } from '@slipway/messaging';
import {
  CreateProject,
  CreateService,
  INSTANCE_ID,
  SetWebhookSecret,
  type CallerStanding,
  type SealedSecret,
  type ServiceSpecInput,
} from '@slipway/proto';
import { projectDecider } from './project.decider';
import { claimDomain, releaseDomain } from '../settings/domain-claims';
import { refuseReservedDomain } from '../settings/domain-rules';
import { instanceSettings } from '../settings/instance-settings.decider';
import { loadSourcePolicy } from '../settings/source-policy';
import { projectNameDecider } from './project-name.decider';

const projectStream = (projectId: string) => ({ context: 'project', aggregate: 'project', id: projectId }) as const;


/** Wiring only: project commands into the project and project-name deciders. */
@Controller()
export class ProjectHandlers {

  constructor(@Inject(PlatformConnection) private readonly platform: PlatformConnection) {}

  @Command(CreateProject)
  async createProject(@Payload() { data, metadata }: CommandPayload<{ projectId: string; name: string }>) {
    // Claim the name first: a taken name stops here, before the project exists.
    await handleCommand({
      store: this.platform.store,
      stream: { context: 'project', aggregate: 'project-name', id: data.name },
      decider: projectNameDecider,
      command: { type: 'ClaimProjectName', data },
      metadata: { ...metadata, commandId: deriveEventId(`${metadata.commandId}/name-claim`, 0), causationId: metadata.commandId },
    });
    await handleCommand({
      store: this.platform.store,
      stream: projectStream(data.projectId),
      decider: projectDecider,
      command: { type: 'CreateProject', data, now: metadata.now },
      metadata,
    });
    return { projectId: data.projectId };
  }

  @Command(CreateService)
  async createService(
    @Payload()
    { data: { callerStanding, ...data }, metadata }: CommandPayload<{
      projectId: string;
      serviceId: string;
      name: string;
      spec: ServiceSpecInput;
      callerStanding?: CallerStanding;
    }>,
  ) {
    // The same domain rules as addDomain's, before anything is claimed.
    const { baseDomain: platformDomain } = (await instanceSettings.load(this.platform.store, INSTANCE_ID)).state;
    for (const hostname of data.spec.domains) refuseReservedDomain(hostname, platformDomain);
    const sourcePolicy = await loadSourcePolicy(this.platform.store, data.spec.source, callerStanding);
    // A custom domain belongs to one service of the whole instance: claim them first, give them back if the service is refused.
    const claimed: string[] = [];
    try {
      for (const hostname of new Set(data.spec.domains)) {
        if (await claimDomain(this.platform.store, { hostname, projectId: data.projectId, serviceId: data.serviceId }, metadata)) claimed.push(hostname);
      }
      await handleCommand({
        store: this.platform.store,
        stream: projectStream(data.projectId),
        decider: projectDecider,
        command: { type: 'CreateService', data: { ...data, spec: data.spec }, platformDomain, sourcePolicy },
        metadata,
      });
    } catch (err) {
      for (const hostname of claimed) {
        await releaseDomain(this.platform.store, { hostname, serviceId: data.serviceId }, metadata, 'release-unused-domain').catch(() => undefined);
      }
      throw err;
    }
    return { serviceId: data.serviceId };
  }

  @Command(SetWebhookSecret)
  async setWebhookSecret(@Payload() { data, metadata }: CommandPayload<{ projectId: string; secret: SealedSecret }>) {
    await handleCommand({
      store: this.platform.store,
      stream: projectStream(data.projectId),
      decider: projectDecider,
      command: { type: 'SetWebhookSecret', data: { projectId: data.projectId, secret: data.secret } },
      metadata,
    });
    return { projectId: data.projectId };
  }
}
