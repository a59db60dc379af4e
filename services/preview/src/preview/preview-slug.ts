/**
 * A manual preview's slug, from its branch: `br-` and the branch in lower-case letters, digits and
 * dashes, at most 20 characters (it goes into hostnames: `<service>-br-<branch>-<project>`).
 */
export const branchSlug = (ref: string): string => {
  const words = ref
    .toLowerCase()
    .replace(/^refs\/heads\//, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 20)
    .replace(/-+$/g, '');
  return `br-${words || 'branch'}`;
};
