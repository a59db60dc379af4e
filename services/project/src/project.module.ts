import { Module } from '@nestjs/common';
import { ServiceLifecycleHandlers } from './lifecycle/service-lifecycle.handlers';
import { MembershipHandlers } from './membership/membership.handlers';
import { ProjectHandlers } from './project/project.handlers';
import { SettingsHandlers } from './settings/settings.handlers';

/** The project service: the catalog of projects, their services, settings, lifecycle and members. */
@Module({ controllers: [ProjectHandlers, MembershipHandlers, SettingsHandlers, ServiceLifecycleHandlers] })
export class ProjectModule {}
