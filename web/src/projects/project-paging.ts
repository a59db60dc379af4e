/** The projects list, a page at a time: a search matches a project's name or any of its services' names. */
export const PROJECTS_PER_PAGE = 12;

export const matchesSearch = (project: { name: string; services: { name: string }[] }, search: string) => {
  const q = search.trim().toLowerCase();
  return !q || project.name.toLowerCase().includes(q) || project.services.some((s) => s.name.toLowerCase().includes(q));
};

/** The page asked for, kept within the pages there are. */
export const pageOf = <T,>(items: T[], asked: number, size = PROJECTS_PER_PAGE) => {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const page = Math.min(Math.max(1, Number.isFinite(asked) ? Math.floor(asked) : 1), pages);
  return { page, pages, items: items.slice((page - 1) * size, page * size), first: (page - 1) * size + 1, last: Math.min(page * size, items.length) };
};
