import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PlatformConnection } from '@slipway/messaging';
import { ReadStore } from '../read-store';
import { readHealth } from './health.reader';

/** GET /health: 200 when the whole platform is ready, 503 otherwise, with the same report as GraphQL. */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(PlatformConnection) private readonly platform: PlatformConnection,
    @Inject(ReadStore) private readonly readStore: ReadStore,
  ) {}

  @Get()
  async health(@Res() res: Response) {
    const report = await readHealth(this.platform, this.readStore);
    res.status(report.status === 'ready' ? 200 : 503).json(report);
  }
}
