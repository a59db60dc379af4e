import { useQuery } from '@apollo/client/react';
import type { Role } from '../graphql/graphql';
import { MeQuery } from './session';

/** What a role may do, as the gateway's roles grant it (gateway/src/auth/roles.ts). */
export type ConsolePermission = 'deploy' | 'read-logs' | 'manage-services' | 'manage-project';

const granted: Record<Role, ConsolePermission[]> = {
  VIEWER: [],
  DEVELOPER: ['deploy', 'read-logs'],
  ADMIN: ['deploy', 'read-logs', 'manage-services'],
  OWNER: ['deploy', 'read-logs', 'manage-services', 'manage-project'],
};

/** Who may, in words, for a button that is not the viewer's to press. */
export const whoMay: Record<ConsolePermission, string> = {
  deploy: 'developers, admins and owners',
  'read-logs': 'developers, admins and owners',
  'manage-services': 'admins and owners',
  'manage-project': 'owners',
};

/** The viewer's role in a project (the instance owner owns every project); null while unknown. */
export const useProjectRole = (projectId: string | undefined) => {
  const me = useQuery(MeQuery);
  const role: Role | null = me.data?.me.instanceOwner ? 'OWNER' : (me.data?.me.memberships.find((m) => m.projectId === projectId)?.role ?? null);
  return { role, can: (permission: ConsolePermission) => (role ? granted[role].includes(permission) : false) };
};
