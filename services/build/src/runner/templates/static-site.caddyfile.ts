import { STATIC_DEFAULT_PORT } from './generated-context';

/**
 * Caddy serving /srv on $PORT (read when the container starts): no admin API, no automatic
 * HTTPS (the edge terminates TLS). A single-page app gets every unknown path as index.html, so
 * client-side routes survive a reload.
 */
export const staticSiteCaddyfile = ({ singlePageApp }: { singlePageApp: boolean }): string =>
  [
    '{',
    '\tadmin off',
    '\tauto_https off',
    '}',
    `:{$PORT:${STATIC_DEFAULT_PORT}} {`,
    '\troot * /srv',
    '\tencode gzip',
    ...(singlePageApp ? ['\ttry_files {path} /index.html'] : []),
    '\tfile_server',
    '}',
    '',
  ].join('\n');
