import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { HealthReports } from './health.reader';

/** GET /health: 200 when the whole platform is ready, 503 otherwise, with the same report as GraphQL. */
@Controller('health')
export class HealthController {
  constructor(@Inject(HealthReports) private readonly reports: HealthReports) {}

  @Get()
  async health(@Res() res: Response) {
    const report = await this.reports.read();
    res.status(report.status === 'ready' ? 200 : 503).json(report);
  }
}
