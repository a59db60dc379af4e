import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { deriveEventId, handleCommand } from '@slipway/event-store';
import { Command, PlatformConnection, type CommandPayload } from '@slipway/messaging';
import { CreateProject, CreateService, SetWebhookSecret, type ServiceSpec, type ServiceSpecInput } from '@slipway/proto';
import { SecretBox } from '@slipway/secret-box';
import { projectDecider } from './project.decider';
import { projectNameDecider } from './project-name.decider';

const projectStream = (projectId: string) => ({ context: 'project', aggregate: 'project', id: projectId }) as const;

/** Credentials are sealed here, before any event holds them. */
const sealSpec = (spec: ServiceSpecInput, box: SecretBox): ServiceSpec => {
  if (spec.source.kind !== 'git' || !spec.source.credentials) return spec as ServiceSpec;
  const c = spec.source.credentials;
  const credentials =
    c.kind === 'token' ? { kind: 'token' as const, token: box.seal(c.token) } : { kind: 'deploy-key' as const, privateKey: box.seal(c.privateKey) };
  return { ...spec, source: { ...spec.source, credentials } };
};

/** Wiring only: project commands into the project and project-name deciders. */
@Controller()
export class ProjectHandlers {
  private readonly box = SecretBox.fromKeyFile();

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
    @Payload() { data, metadata }: CommandPayload<{ projectId: string; serviceId: string; name: string; spec: ServiceSpecInput }>,
  ) {
    await handleCommand({
      store: this.platform.store,
      stream: projectStream(data.projectId),
      decider: projectDecider,
      command: { type: 'CreateService', data: { ...data, spec: sealSpec(data.spec, this.box) } },
      metadata,
    });
    return { serviceId: data.serviceId };
  }

  @Command(SetWebhookSecret)
  async setWebhookSecret(@Payload() { data, metadata }: CommandPayload<{ projectId: string; secret: string }>) {
    await handleCommand({
      store: this.platform.store,
      stream: projectStream(data.projectId),
      decider: projectDecider,
      command: { type: 'SetWebhookSecret', data: { projectId: data.projectId, secret: this.box.seal(data.secret) } },
      metadata,
    });
    return { projectId: data.projectId };
  }
}
