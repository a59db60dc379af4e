import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PlatformConnection } from '@slipway/messaging';
import { SecretOpener } from '@slipway/secret-box';
import { AlertEvaluator } from './alert-evaluator';
import { AlertNotifier } from './alert-notifier';
import { AlertReadings } from './alert-readings';
import { AlertsHandlers } from './alerts.handlers';
import { ChannelSenders } from './channel-senders.adapter';
import { VictoriaMetricsReader } from './victoria-metrics.reader';

/** Starts evaluating the rules once the bus is there, and stops with the service. */
class EvaluatorLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(AlertEvaluator) private readonly evaluator: AlertEvaluator,
    @Inject(PlatformConnection) private readonly platform: PlatformConnection,
  ) {}
  onApplicationBootstrap() {
    this.evaluator.start(this.platform.ready);
  }
  async onApplicationShutdown() {
    await this.evaluator.stop();
  }
}

/** Alert rules, notification channels and the instance's SMTP server (ADR 0023). */
@Module({
  controllers: [AlertsHandlers],
  providers: [
    {
      provide: AlertNotifier,
      inject: [PlatformConnection],
      useFactory: (platform: PlatformConnection) =>
        new AlertNotifier(platform, SecretOpener.forService('metrics'), new ChannelSenders(Number(process.env.SLIPWAY_ALERTS_SEND_TIMEOUT_MS ?? 10_000))),
    },
    {
      provide: AlertEvaluator,
      inject: [PlatformConnection],
      useFactory: (platform: PlatformConnection) =>
        new AlertEvaluator(
          platform,
          new AlertReadings(new VictoriaMetricsReader(process.env.VICTORIAMETRICS_URL ?? 'http://127.0.0.1:8428'), platform),
          Number(process.env.SLIPWAY_ALERTS_EVAL_S ?? 15) * 1000,
        ),
    },
    EvaluatorLifecycle,
  ],
})
export class AlertsModule {}
