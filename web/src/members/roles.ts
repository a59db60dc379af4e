import type { Role } from '../graphql/graphql';

/** What each role may do, as the gateway enforces it (gateway/src/auth/roles.ts). */
export const roles: { value: Role; label: string; description: string }[] = [
  { value: 'VIEWER', label: 'Viewer', description: 'sees services, deployments, members and the audit log' },
  { value: 'DEVELOPER', label: 'Developer', description: 'also deploys, rolls back, reads logs and manages previews' },
  { value: 'ADMIN', label: 'Admin', description: 'also creates and configures services, env vars, domains and members' },
  { value: 'OWNER', label: 'Owner', description: 'everything, including owners and the webhook secret' },
];
