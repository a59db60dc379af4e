import { CADDYFILE, STATIC_DEFAULT_PORT } from './generated-context';

/**
 * The serving stage shared by the static and SPA strategies. The static base image is Caddy
 * (slipway/caddy:local, built by infra/scripts/images.sh; the official caddy image works too):
 * its binary is /usr/bin/caddy. It runs as nobody (65534): the image may have no /etc/passwd, so
 * the id is numeric, and HOME/XDG point at /tmp for whatever Caddy wants to write.
 */
export const staticServerStage = (baseImage: string, copySite: string): string[] => [
  `FROM ${baseImage}`,
  copySite,
  `COPY ${CADDYFILE} /etc/caddy/Caddyfile`,
  `ENV HOME=/tmp XDG_CONFIG_HOME=/tmp/config XDG_DATA_HOME=/tmp/data PORT=${STATIC_DEFAULT_PORT}`,
  'USER 65534:65534',
  `EXPOSE ${STATIC_DEFAULT_PORT}`,
  'ENTRYPOINT ["/usr/bin/caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]',
  'CMD []',
];
