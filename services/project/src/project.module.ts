import { Module } from '@nestjs/common';
import { ProjectHandlers } from './project/project.handlers';

/** The project service: the catalog of projects and their services. */
@Module({ controllers: [ProjectHandlers] })
export class ProjectModule {}
