import { Module } from '@nestjs/common';
import { BuildRunnerHandlers } from './build/build-runner.handlers';
import { BuildHandlers } from './build/build.handlers';

@Module({ controllers: [BuildHandlers, BuildRunnerHandlers] })
export class BuildModule {}
