import type { Role } from '../graphql/graphql';

export const roles: { value: Role; label: string; description: string }[] = [
  { value: 'VIEWER', label: 'Viewer', description: 'sees services, deployments and logs' },
  { value: 'DEVELOPER', label: 'Developer', description: 'also creates, deploys and configures services' },
  { value: 'ADMIN', label: 'Admin', description: 'also invites and manages members' },
  { value: 'OWNER', label: 'Owner', description: 'everything, including owners and webhooks' },
];
