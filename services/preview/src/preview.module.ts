import { Module } from '@nestjs/common';
import { PreviewHandlers } from './preview/preview.handlers';

/** The preview service: pull request events into preview environments, their expiry and their end. */
@Module({ controllers: [PreviewHandlers] })
export class PreviewModule {}
