import { Global, Module, type DynamicModule } from '@nestjs/common';
import { PlatformConnection } from './platform-connection';

/** Makes the service's PlatformConnection (NATS + event store) injectable everywhere. */
@Global()
@Module({})
export class PlatformModule {
  static register(platform: PlatformConnection): DynamicModule {
    return { module: PlatformModule, providers: [{ provide: PlatformConnection, useValue: platform }], exports: [PlatformConnection] };
  }
}
