import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleCommand } from '@slipway/event-store';
import { Command, PlatformConnection, type CommandPayload } from '@slipway/messaging';
import { RecordPullRequest, type EventData, type PullRequestReceived } from '@slipway/proto';
import { pullRequestDecider, pullRequestStream } from './pull-request.decider';

/** Wiring only: pull-request events from the gateway's webhooks into their streams. */
@Controller()
export class PullRequestHandlers {
  constructor(@Inject(PlatformConnection) private readonly platform: PlatformConnection) {}

  @Command(RecordPullRequest)
  async recordPullRequest(@Payload() { data, metadata }: CommandPayload<EventData<typeof PullRequestReceived>>) {
    const stream = pullRequestStream(data.projectId, data.number);
    await handleCommand({ store: this.platform.store, stream, decider: pullRequestDecider, command: { type: 'RecordPullRequest', data }, metadata });
    return { pullRequest: stream.id };
  }
}
