import { Module } from '@nestjs/common';
import { MembershipHandlers } from './membership/membership.handlers';
import { ProjectHandlers } from './project/project.handlers';
import { SettingsHandlers } from './settings/settings.handlers';

/** The project service: the catalog of projects, their services, settings and members. */
@Module({ controllers: [ProjectHandlers, MembershipHandlers, SettingsHandlers] })
export class ProjectModule {}
