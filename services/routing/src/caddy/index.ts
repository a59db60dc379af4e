export * from './caddy-config.builder';
export { CaddyAdmin, CaddyAdminError, CaddyConfigConflict, type CaddyAdminOptions } from './caddy-admin.adapter';
export { attachCaddyToNetwork, attachCaddyToNetworks, detachCaddyFromNetwork, type AttachMethod } from './caddy-network.adapter';
export { waitForCertificate, type PresentedCertificate } from './certificate.probe';
export { syncEdge } from './edge-sync.adapter';
export { caddyIssuanceError } from './caddy-issuance-log.adapter';
export { CaddyCertificateFiles } from './caddy-certificate-files.adapter';
export { watchCaddyRestarts, type CaddyRestartWatch } from './caddy-restarts.adapter';
