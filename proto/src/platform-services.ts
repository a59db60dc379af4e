import type { Context } from './subjects';

/** The Slipway services, the context each owns, and where each answers GET /health by default. */
export const platformServices = [
  { name: 'project', context: 'project', healthPort: 4101 },
  { name: 'build', context: 'build', healthPort: 4102 },
  { name: 'deploy', context: 'deploy', healthPort: 4103 },
  { name: 'routing', context: 'routing', healthPort: 4104 },
  { name: 'preview', context: 'preview', healthPort: 4105 },
  { name: 'quota', context: 'quota', healthPort: 4106 },
  { name: 'metrics', context: 'metrics', healthPort: 4107 },
  { name: 'backup', context: 'backup', healthPort: 4108 },
] as const satisfies readonly { name: string; context: Context; healthPort: number }[];

export type PlatformServiceName = (typeof platformServices)[number]['name'];

export const platformService = (name: PlatformServiceName) => platformServices.find((s) => s.name === name)!;
