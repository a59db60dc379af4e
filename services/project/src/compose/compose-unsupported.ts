/**
 * Every key the Compose specification allows is either used or named in a warning: nothing a user
 * wrote disappears without a word. `x-` extension keys are ignored by design (the specification
 * says so); they are how files share fragments through anchors.
 */

export const SUPPORTED_SERVICE_KEYS = new Set([
  'build', 'image', 'command', 'environment', 'env_file', 'ports', 'expose', 'depends_on', 'healthcheck', 'volumes', 'deploy',
  'cpus', 'mem_limit',
]);

const ISOLATION = 'Slipway runs apps isolated (dropped capabilities, no-new-privileges, the project network only)';
const SERVICE_KEY_REASONS: Record<string, string> = {
  container_name: 'Slipway names containers itself; other services reach this one by its service name',
  hostname: 'other services reach this one by its service name on the project network',
  restart: 'Swarm restarts containers that stop, and a roll-out that fails is rolled back',
  networks: 'each project has one network of its own, on which services reach each other by name',
  network_mode: ISOLATION,
  privileged: ISOLATION,
  cap_add: ISOLATION,
  security_opt: ISOLATION,
  devices: ISOLATION,
  pid: ISOLATION,
  ipc: ISOLATION,
  userns_mode: ISOLATION,
  secrets: 'set secret values as Slipway environment variables (they are sealed at rest)',
  configs: 'put configuration files in the image, or pass them as environment variables',
  profiles: 'the service is imported like any other, although Compose starts it only when one of its profiles is active',
  extends: 'the service is imported without the keys it would inherit: copy them into the service',
  entrypoint: "the image's entrypoint is used; put the program in command, or change the Dockerfile's ENTRYPOINT",
  labels: 'Slipway labels services itself',
  logging: 'Slipway collects each service\'s output and shows it in the console',
  links: 'services reach each other by name on the project network without links',
  extra_hosts: 'services resolve each other by name; other names come from DNS',
  develop: 'it is for local development (compose watch)',
};

export const serviceKeyWarning = (key: string): string =>
  `is not supported by Slipway and is ignored${SERVICE_KEY_REASONS[key] ? `: ${SERVICE_KEY_REASONS[key]}` : ''}`;

const TOP_LEVEL_REASONS: Record<string, string> = {
  version: 'it is obsolete in the Compose specification',
  name: "the Slipway project's name is used",
  networks: 'each project has one network of its own, on which services reach each other by name',
  secrets: 'set secret values as Slipway environment variables (they are sealed at rest)',
  configs: 'put configuration files in the image, or pass them as environment variables',
  include: 'the services of included files are not imported: import each file, or copy its services into this one',
  models: 'AI models are not supported',
};

export const TOP_LEVEL_USED = new Set(['services', 'volumes']);

export const topLevelKeyWarning = (key: string): string =>
  `is not supported by Slipway and is ignored${TOP_LEVEL_REASONS[key] ? `: ${TOP_LEVEL_REASONS[key]}` : ''}`;

/** Keys under `deploy` that are used; every other one is named. */
export const DEPLOY_REASONS: Record<string, string> = {
  mode: 'services run as replicated Swarm services',
  placement: 'Slipway places services itself',
  update_config: 'Slipway rolls out start-first and rolls back automatically',
  rollback_config: 'Slipway rolls back automatically when the new version is not healthy',
  restart_policy: 'Swarm restarts containers that stop',
  endpoint_mode: 'Slipway chooses the endpoint mode',
  labels: 'Slipway labels services itself',
};

export const BUILD_KEYS_USED = new Set(['context', 'dockerfile', 'args']);

export const isExtension = (key: string) => key.startsWith('x-');
