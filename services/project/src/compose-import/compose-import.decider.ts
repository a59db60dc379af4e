import { aggregate, assertNever, type Decider } from '@slipway/event-store';
import type { ComposeOrigin, ComposeReconciled, EventData } from '@slipway/proto';
import type { ComposeServicePlan } from '../compose';

/** A compose service's plan as last applied, with the environment its files merged to. */
export type AppliedPlan = ComposeServicePlan & { env: { key: string; value: string }[] };

export type ComposeImportState = {
  origin?: ComposeOrigin;
  commit?: string;
  services: { name: string; serviceId: string; plan: AppliedPlan }[];
};

export type ComposeImportCommand = { type: 'RecordCompose'; data: EventData<typeof ComposeReconciled> };
export type ComposeImportEvent = { type: 'ComposeReconciled'; data: EventData<typeof ComposeReconciled> };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A reading that changes nothing (same file, same commit, same services) is not recorded again. */
const decide = (command: ComposeImportCommand, state: ComposeImportState): ComposeImportEvent[] => {
  switch (command.type) {
    case 'RecordCompose': {
      const { data } = command;
      const nothingNew =
        state.origin !== undefined &&
        same(state.origin, data.origin) &&
        state.commit === data.commit &&
        data.added.length + data.changed.length + data.removed.length === 0 &&
        same(state.services.map((s) => [s.name, s.serviceId]), data.services.map((s) => [s.name, s.serviceId]));
      return nothingNew ? [] : [{ type: 'ComposeReconciled', data }];
    }
    default:
      return assertNever(command.type);
  }
};

const evolve = (state: ComposeImportState, event: ComposeImportEvent): ComposeImportState => {
  switch (event.type) {
    case 'ComposeReconciled':
      return {
        origin: event.data.origin,
        commit: event.data.commit,
        services: event.data.services.map((s) => ({ name: s.name, serviceId: s.serviceId, plan: s.plan as unknown as AppliedPlan })),
      };
    default:
      return state;
  }
};

export const composeImportDecider: Decider<ComposeImportCommand, ComposeImportEvent, ComposeImportState> = { decide, evolve, initialState: { services: [] } };

/** Bound to its stream: platform.project.events.compose.<projectId>. */
export const composeImports = aggregate({
  decider: composeImportDecider,
  stream: (projectId) => ({ context: 'project', aggregate: 'compose', id: projectId }),
});
