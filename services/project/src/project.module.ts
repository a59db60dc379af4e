import { Module } from '@nestjs/common';
import { MembershipHandlers } from './membership/membership.handlers';
import { ProjectHandlers } from './project/project.handlers';

/** The project service: the catalog of projects, their services and members. */
@Module({ controllers: [ProjectHandlers, MembershipHandlers] })
export class ProjectModule {}
