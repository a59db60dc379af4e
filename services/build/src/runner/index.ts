export { BuildError } from './build-error';
export type { BuildConfig, BuildHooks, BuildJob, BuildLogLine, BuildOutcome, BuildStrategy } from './build-job';
export { buildConfigFromEnv } from './build-config';
export { runBuild } from './run-build';
export { readSourceFiles, MAX_READ_FILE } from './read-source-files';
