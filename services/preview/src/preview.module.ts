import { Module } from '@nestjs/common';
import { PreviewCommentHandlers } from './comment/preview-comment.handlers';
import { PreviewHandlers } from './preview/preview.handlers';

/** The preview service: pull request events into preview environments, their expiry and their end, and the pull request's comment. */
@Module({ controllers: [PreviewHandlers, PreviewCommentHandlers] })
export class PreviewModule {}
