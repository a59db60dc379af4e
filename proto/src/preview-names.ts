/**
 * How a preview's copies are named, the same in every service (deploy names them, routing routes
 * them, the gateway shows them). `slug` is `pr-<number>` or `br-<branch>` (previewSlug).
 * - a service `web` of project `shop` in preview `pr-12` runs as the Slipway name `web-pr-12`, so its
 *   Swarm service is `shop-web-pr-12`, its images `<registry>/shop/web-pr-12`, its hostname
 *   `web-pr-12-shop.<base domain>`;
 * - on the network `slipway-shop-pr-12` (its own, isolated from production), under its own name `web`,
 *   so the copies reach each other as production does (`http://api:3000`);
 * - its route and its Swarm label `slipway.service` are `<serviceId>-pr-12`: nothing that acts on the
 *   production service (scale, stop, delete, prune) ever selects a copy.
 */
export const previewCopyName = (serviceName: string, slug: string) => `${serviceName}-${slug}`;
export const previewNetwork = (projectName: string, slug: string) => `slipway-${projectName}-${slug}`;
export const previewCopyId = (serviceId: string, slug: string) => `${serviceId}-${slug}`;
export const previewSlugOf = (number: number) => `pr-${number}`;
/** The id of a pull request's preview: one per project and pull request. */
export const pullRequestPreviewId = (projectId: string, number: number) => `${projectId}-pr-${number}`;
/** Label on every Swarm service, volume and network of a preview. */
export const PREVIEW_LABEL = 'slipway.preview';

/**
 * One spelling per repository, so `https://host/o/r.git`, `git@host:o/r.git`, `ssh://git@host/o/r`
 * and `https://host/o/r` compare equal.
 */
export const normalizeRepositoryUrl = (url: string): string =>
  url
    .trim()
    .toLowerCase()
    .replace(/^[a-z+]+:\/\//, '')
    .replace(/^[^@/]+@/, '')
    .replace(/^([^/:]+):(?!\d+\/)/, '$1/')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
