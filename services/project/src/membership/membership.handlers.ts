import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleCommand } from '@slipway/event-store';
import { Command, PlatformConnection, type CommandPayload } from '@slipway/messaging';
import { AcceptInvitation, AddMember, ChangeMemberRole, InviteMember, RemoveMember, RevokeInvitation } from '@slipway/proto';
import { membershipDecider, type MembershipCommand } from './membership.decider';

const membershipStream = (projectId: string) => ({ context: 'project', aggregate: 'membership', id: projectId }) as const;

/** Wiring only: membership commands into the project's membership decider. */
@Controller()
export class MembershipHandlers {
  constructor(@Inject(PlatformConnection) private readonly platform: PlatformConnection) {}

  private async handle(command: MembershipCommand, metadata: CommandPayload<unknown>['metadata']) {
    await handleCommand({ store: this.platform.store, stream: membershipStream(command.data.projectId), decider: membershipDecider, command, metadata });
    return { projectId: command.data.projectId };
  }

  @Command(InviteMember)
  invite(@Payload() { data, metadata }: CommandPayload<MembershipCommand['data'] & { invitationId: string }>) {
    return this.handle({ type: 'InviteMember', data } as MembershipCommand, metadata);
  }

  @Command(AddMember)
  add(@Payload() { data, metadata }: CommandPayload<MembershipCommand['data']>) {
    return this.handle({ type: 'AddMember', data } as MembershipCommand, metadata);
  }

  @Command(AcceptInvitation)
  accept(@Payload() { data, metadata }: CommandPayload<MembershipCommand['data']>) {
    return this.handle({ type: 'AcceptInvitation', data, now: metadata.now } as MembershipCommand, metadata);
  }

  @Command(ChangeMemberRole)
  changeRole(@Payload() { data, metadata }: CommandPayload<MembershipCommand['data']>) {
    return this.handle({ type: 'ChangeMemberRole', data } as MembershipCommand, metadata);
  }

  @Command(RemoveMember)
  remove(@Payload() { data, metadata }: CommandPayload<MembershipCommand['data']>) {
    return this.handle({ type: 'RemoveMember', data } as MembershipCommand, metadata);
  }

  @Command(RevokeInvitation)
  revokeInvitation(@Payload() { data, metadata }: CommandPayload<MembershipCommand['data']>) {
    return this.handle({ type: 'RevokeInvitation', data } as MembershipCommand, metadata);
  }
}
