import { Module } from '@nestjs/common';
import { CaddyCertificateFiles } from './caddy';
import { RoutingHandlers } from './route/routing.handlers';

/** The routing service: Caddy routes and certificates for every deployed service. */
@Module({ controllers: [RoutingHandlers], providers: [{ provide: CaddyCertificateFiles, useFactory: () => new CaddyCertificateFiles() }] })
export class RoutingModule {}
