import { Module } from '@nestjs/common';

/**
 * The quota service. It boots, connects, declares its event stream and reports health; its
 * aggregates, commands and consumers arrive with the issues that build them.
 */
@Module({})
export class QuotaModule {}
