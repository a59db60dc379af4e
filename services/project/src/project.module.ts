import { Module } from '@nestjs/common';
import { ProjectHandlers } from './project/project.handlers';
import { SettingsHandlers } from './settings/settings.handlers';

/** The project service: the catalog of projects and their services. */
@Module({ controllers: [ProjectHandlers, SettingsHandlers] })
export class ProjectModule {}
