import { Module } from '@nestjs/common';
import { PullRequestHandlers } from './pull-request/pull-request.handlers';

/** The preview service: pull-request events so far; preview environments arrive with their issue. */
@Module({ controllers: [PullRequestHandlers] })
export class PreviewModule {}
