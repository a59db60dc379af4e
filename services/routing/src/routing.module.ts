import { Module } from '@nestjs/common';
import { RoutingHandlers } from './route/routing.handlers';

/** The routing service: Caddy routes and certificates for every deployed service. */
@Module({ controllers: [RoutingHandlers] })
export class RoutingModule {}
