import { planRouteRemovals, type RouteSeen } from './route-cleanup';

const route = (routeId: string, serviceId: string, previewId?: string): RouteSeen => ({ routeId, serviceId, hostnames: [`${routeId}.localhost`], ...(previewId ? { previewId } : {}) });
const live = { services: new Set(['s_web']), previews: new Map([['p_1-pr-1', true], ['p_1-pr-2', false]]), knowsProjects: true };

describe('route clean-up plan', () => {
  it("removes the routes of deleted services and torn-down previews, and keeps the live ones'", () => {
    const routes = [route('s_web', 's_web'), route('s_gone', 's_gone'), route('s_web-pr-1', 's_web', 'p_1-pr-1'), route('s_web-pr-2', 's_web', 'p_1-pr-2'), route('s_web-pr-9', 's_web', 'p_1-pr-9')];
    expect(planRouteRemovals(routes, live).map((r) => [r.routeId, r.reason])).toEqual([
      ['s_gone', 'service s_gone no longer exists'],
      ['s_web-pr-2', 'preview p_1-pr-2 was torn down'],
      ['s_web-pr-9', 'preview p_1-pr-9 was torn down'],
    ]);
  });

  it('takes nothing for an orphan when the event store knows no project (the wrong store, or an empty one)', () => {
    expect(planRouteRemovals([route('s_gone', 's_gone')], { ...live, knowsProjects: false })).toEqual([]);
  });
});
