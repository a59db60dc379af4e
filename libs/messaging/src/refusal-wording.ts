/**
 * A refusal in the words of the person who typed the value: "Port must be 1 to 65535", not
 * `Command "update-service-settings": field "settings.port" must be …`. The field path still travels
 * apart (`field` on the reply, `extensions.field` in GraphQL), for forms and tools.
 */
const labels: Record<string, string> = {
  url: 'URL',
  cpu: 'CPU',
  memoryMb: 'Memory',
  dockerfilePath: 'Dockerfile path',
  healthCheck: 'Health check',
  projectId: 'Project',
  serviceId: 'Service',
  userId: 'User',
  invitationId: 'Invitation',
  toDeploymentId: 'Deployment to roll back to',
  archiveId: 'Archive',
  ref: 'Git ref',
  imageRef: 'Image',
  acmeDirectory: 'ACME directory',
  allowedHttpGitHosts: 'Allowed plain-HTTP git hosts',
};

const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

/** "spec.source.url" → "Source URL"; "settings.port" → "Port"; "healthCheck.path" → "Health check path". */
export const fieldLabel = (path: string): string => {
  const parts = path.split('.').filter((p) => p && !/^\d+$/.test(p) && p !== '(root)');
  const last = parts.at(-1);
  if (!last) return 'The value';
  const parent = parts.at(-2);
  const own = labels[last] ?? words(last);
  // A bare "URL" or "path" says too little: name what it is the URL or path of.
  const qualified = (last === 'url' || last === 'path') && parent && parent !== 'data' ? `${labels[parent] ?? words(parent)} ${own}` : own;
  return qualified.charAt(0).toUpperCase() + qualified.slice(1);
};

/** "Port" + "must be 1 to 65535" → "Port must be 1 to 65535". */
export const plainRefusal = (field: string, problem: string): string => `${fieldLabel(field)} ${problem}`;
