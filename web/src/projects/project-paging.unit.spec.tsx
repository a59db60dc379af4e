import { matchesSearch, pageOf } from './project-paging';

describe('projects list paging and search', () => {
  const projects = Array.from({ length: 113 }, (_, i) => ({ name: `p-${i + 1}`, services: i === 4 ? [{ name: 'billing-api' }] : [] }));

  it('cuts 113 projects into pages of 12, and keeps the page asked for within them', () => {
    expect(pageOf(projects, 1)).toMatchObject({ page: 1, pages: 10, first: 1, last: 12 });
    expect(pageOf(projects, 10)).toMatchObject({ page: 10, first: 109, last: 113 });
    expect(pageOf(projects, 10).items).toHaveLength(5);
    expect(pageOf(projects, 99).page).toBe(10);
    expect(pageOf(projects, NaN).page).toBe(1);
    expect(pageOf([], 3)).toMatchObject({ page: 1, pages: 1, items: [] });
  });

  it("finds a project by its name or one of its services' names, ignoring case", () => {
    expect(projects.filter((p) => matchesSearch(p, 'P-11')).map((p) => p.name)).toEqual(['p-11', 'p-110', 'p-111', 'p-112', 'p-113']);
    expect(projects.filter((p) => matchesSearch(p, 'billing')).map((p) => p.name)).toEqual(['p-5']);
    expect(projects.filter((p) => matchesSearch(p, '  '))).toHaveLength(113);
  });
});
