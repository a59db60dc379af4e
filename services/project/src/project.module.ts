import { Module } from '@nestjs/common';
import { ComposeImportHandlers } from './compose-import/compose-import.handlers';
import { ServiceLifecycleHandlers } from './lifecycle/service-lifecycle.handlers';
import { MembershipHandlers } from './membership/membership.handlers';
import { ProjectHandlers } from './project/project.handlers';
import { SettingsHandlers } from './settings/settings.handlers';

/** The project service: the catalog of projects, their services, settings, lifecycle, members and Compose imports. */
@Module({ controllers: [ProjectHandlers, MembershipHandlers, SettingsHandlers, ServiceLifecycleHandlers, ComposeImportHandlers] })
export class ProjectModule {}
