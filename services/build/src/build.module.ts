import { Module } from '@nestjs/common';
import { BuildHandlers } from './build/build.handlers';

@Module({ controllers: [BuildHandlers] })
export class BuildModule {}
