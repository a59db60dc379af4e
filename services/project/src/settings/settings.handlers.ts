import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleCommand, type DomainEvent, type HandledCommand } from '@slipway/event-store';
import { Command, PlatformConnection, type CommandPayload } from '@slipway/messaging';
import {
  AddDomain,
  AddVolume,
  INSTANCE_ID,
  RemoveVolume,
  RemoveDomain,
  RemoveEnvVar,
  SetEnvVar,
  SetInstanceSettings,
  UpdateServiceSettings,
  type CallerStanding,
  type CommandMetadata,
  type EnvEntry,
  type EnvVarTarget,
  type ServiceSettingsInput,
} from '@slipway/proto';
import type { z } from 'zod';
import { claimDomain, releaseDomain } from './domain-claims';
import { globalEnvDecider, projectEnvDecider, type ProjectEnvCommand } from './env-vars.decider';
import { instanceSettings } from './instance-settings.decider';
import { loadSourcePolicy } from './source-policy';
import { serviceSettingsDecider, type ServiceSettingsCommand } from './service-settings.decider';

type SetEnvVarData = z.infer<typeof SetEnvVar.schema>;

const projectStream = (projectId: string) => ({ context: 'project', aggregate: 'project', id: projectId }) as const;
const instanceStream = { context: 'project', aggregate: 'instance', id: INSTANCE_ID } as const;

/** The stream position a read model must reach to show this change; null when nothing changed. */
const appendedAt = (handled: HandledCommand<DomainEvent>) => (handled.events.length ? handled.version : null);

type DomainData = { projectId: string; serviceId: string; hostname: string };

/**
 * Wiring only: env vars, domains and service settings into their deciders. Secret values and git
 * credentials arrive sealed by the gateway for the service that opens them: none is ever opened here.
 */
@Controller()
export class SettingsHandlers {
  constructor(@Inject(PlatformConnection) private readonly platform: PlatformConnection) {}

  @Command(SetInstanceSettings)
  async setInstanceSettings(
    @Payload() { data, metadata }: CommandPayload<{ baseDomain?: string; acmeDirectory?: string | null; allowedHttpGitHosts?: string[] }>,
  ) {
    const handled = await instanceSettings.handle(this.platform.store, INSTANCE_ID, { type: 'SetInstanceSettings', data }, metadata);
    return { version: appendedAt(handled) };
  }

  @Command(SetEnvVar)
  async setEnvVar(@Payload() { data, metadata }: CommandPayload<SetEnvVarData>) {
    const variable: EnvEntry = data.secret
      ? { key: data.key, secret: true, sealedValue: data.sealedValue! }
      : { key: data.key, secret: false, value: data.value! };
    const handled = await this.changeEnv(data.target, { set: variable }, metadata);
    return { ...data.target, key: data.key, version: appendedAt(handled) };
  }

  @Command(RemoveEnvVar)
  async removeEnvVar(@Payload() { data, metadata }: CommandPayload<{ target: EnvVarTarget; key: string }>) {
    const handled = await this.changeEnv(data.target, { remove: data.key }, metadata);
    return { ...data.target, key: data.key, version: appendedAt(handled) };
  }

  @Command(UpdateServiceSettings)
  async updateServiceSettings(
    @Payload()
    { data: { callerStanding, ...data }, metadata }: CommandPayload<{
      projectId: string;
      serviceId: string;
      settings: ServiceSettingsInput;
      callerStanding?: CallerStanding;
    }>,
  ) {
    const { source, ...rest } = data.settings;
    const sourcePolicy = await loadSourcePolicy(this.platform.store, source, callerStanding);
    const settings = source ? { ...rest, source } : rest;
    const handled = await this.decideSettings({ type: 'UpdateServiceSettings', data: { ...data, settings }, sourcePolicy }, metadata);
    return { serviceId: data.serviceId, version: appendedAt(handled) };
  }

  @Command(AddDomain)
  async addDomain(@Payload() { data, metadata }: CommandPayload<DomainData>) {
    // Names under the instance's base domain are the platform's own (each service's automatic name).
    const { baseDomain } = (await instanceSettings.load(this.platform.store, INSTANCE_ID)).state;
    const command: ServiceSettingsCommand = { type: 'AddDomain', data: { ...data, platformDomain: baseDomain } };
    // The service's own rules first (it exists, not too many, not a platform name): a refused domain is never claimed.
    const { events: history } = await this.platform.store.read(projectStream(data.projectId));
    const state = history.reduce((s, e) => serviceSettingsDecider.evolve(s, e as never), serviceSettingsDecider.initialState);
    if (serviceSettingsDecider.decide(command, state).length === 0) return { serviceId: data.serviceId, version: null };

    const claimedNow = await claimDomain(this.platform.store, data, metadata);
    try {
      return { serviceId: data.serviceId, version: appendedAt(await this.decideSettings(command, metadata)) };
    } catch (err) {
      // Nothing half-done: the claim made for a domain the service did not get is given back.
      if (claimedNow) await releaseDomain(this.platform.store, data, metadata, 'release-unused-domain').catch(() => undefined);
      throw err;
    }
  }

  @Command(RemoveDomain)
  async removeDomain(@Payload() { data, metadata }: CommandPayload<DomainData>) {
    const handled = await this.decideSettings({ type: 'RemoveDomain', data }, metadata);
    // Also when the service no longer had it: a removal interrupted before the release finishes here.
    await releaseDomain(this.platform.store, data, metadata);
    return { serviceId: data.serviceId, version: appendedAt(handled) };
  }

  @Command(AddVolume)
  async addVolume(@Payload() { data, metadata }: CommandPayload<{ projectId: string; serviceId: string; name: string; mountPath: string }>) {
    const handled = await this.decideSettings({ type: 'AddVolume', data }, metadata);
    return { serviceId: data.serviceId, version: appendedAt(handled) };
  }

  @Command(RemoveVolume)
  async removeVolume(@Payload() { data, metadata }: CommandPayload<{ projectId: string; serviceId: string; name: string }>) {
    const handled = await this.decideSettings({ type: 'RemoveVolume', data }, metadata);
    return { serviceId: data.serviceId, version: appendedAt(handled) };
  }

  private decideSettings(command: ServiceSettingsCommand, metadata: CommandMetadata) {
    return handleCommand({ store: this.platform.store, stream: projectStream(command.data.projectId), decider: serviceSettingsDecider, command, metadata });
  }

  private changeEnv(target: EnvVarTarget, change: { set: EnvEntry } | { remove: string }, metadata: CommandMetadata) {
    const store = this.platform.store;
    switch (target.scope) {
      case 'global':
        return handleCommand({
          store,
          stream: instanceStream,
          decider: globalEnvDecider,
          command: 'set' in change ? { type: 'SetGlobalEnvVar', data: { variable: change.set } } : { type: 'RemoveGlobalEnvVar', data: { key: change.remove } },
          metadata,
        });
      case 'project': {
        const { projectId } = target;
        return handleCommand({
          store,
          stream: projectStream(projectId),
          decider: projectEnvDecider,
          command:
            'set' in change
              ? { type: 'SetProjectEnvVar', data: { projectId, variable: change.set } }
              : { type: 'RemoveProjectEnvVar', data: { projectId, key: change.remove } },
          metadata,
        });
      }
      case 'service': {
        const { projectId, serviceId } = target;
        return handleCommand({
          store,
          stream: projectStream(projectId),
          decider: projectEnvDecider,
          command:
            'set' in change
              ? { type: 'SetServiceEnvVar', data: { projectId, serviceId, variable: change.set } }
              : { type: 'RemoveServiceEnvVar', data: { projectId, serviceId, key: change.remove } },
          metadata,
        });
      }
      case 'project-preview': {
        const { projectId } = target;
        const command: ProjectEnvCommand =
          'set' in change
            ? { type: 'SetProjectPreviewEnvVar', data: { projectId, variable: change.set } }
            : { type: 'RemoveProjectPreviewEnvVar', data: { projectId, key: change.remove } };
        return handleCommand({ store, stream: projectStream(projectId), decider: projectEnvDecider, command, metadata });
      }
      case 'service-preview': {
        const { projectId, serviceId } = target;
        const command: ProjectEnvCommand =
          'set' in change
            ? { type: 'SetServicePreviewEnvVar', data: { projectId, serviceId, variable: change.set } }
            : { type: 'RemoveServicePreviewEnvVar', data: { projectId, serviceId, key: change.remove } };
        return handleCommand({ store, stream: projectStream(projectId), decider: projectEnvDecider, command, metadata });
      }
    }
  }
}
