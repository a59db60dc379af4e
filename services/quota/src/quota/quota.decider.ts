import { assertNever, type Decider } from '@slipway/event-store';
import type { EventData, QuotaLimits, QuotaSet, ReservationRejected, Resources, ResourcesReleased, ResourcesReserved } from '@slipway/proto';
import { overCapacity, overQuota, type Capacity } from './quota-check';

/** What one service (or preview copy) holds: per replica, as its spec says, times its replicas. */
export type Held = Resources & { previewId?: string; deploymentId?: string; previous?: Resources; stopped?: boolean };
/** `limits` absent: the instance's defaults apply. */
export type QuotaState = { limits?: QuotaLimits; held: Record<string, Held> };

export type ReserveData = {
  projectId: string;
  projectName: string;
  deploymentId: string;
  holder: string;
  previewId?: string;
  resources: Resources;
  defaults: QuotaLimits;
  capacity: Capacity;
  storageUsedMb?: number;
};
type ReleaseReason = EventData<typeof ResourcesReleased>['reason'];

export type QuotaCommand =
  | { type: 'SetQuota'; data: { projectId: string; limits: QuotaLimits }; now: string }
  | { type: 'Reserve'; data: ReserveData }
  | { type: 'Release'; data: { projectId: string; holder?: string; previewId?: string; deploymentId?: string; reason: ReleaseReason } }
  /** A scale or a start (checked before by CheckServiceChange): the holder's replicas now. */
  | { type: 'FollowReplicas'; data: { projectId: string; holder: string; replicas: number } };

export type QuotaEvent =
  | { type: 'QuotaSet'; data: EventData<typeof QuotaSet> }
  | { type: 'ResourcesReserved'; data: EventData<typeof ResourcesReserved> }
  | { type: 'ReservationRejected'; data: EventData<typeof ReservationRejected> }
  | { type: 'ResourcesReleased'; data: EventData<typeof ResourcesReleased> };

const resourcesOf = ({ cpu, memoryMb, replicas }: Resources): Resources => ({ cpu, memoryMb, replicas });
/** A failed, cancelled or blocked deployment gives back what its service held before it. */
const GIVES_BACK: ReleaseReason[] = ['failed', 'cancelled', 'blocked'];

const reserve = (data: ReserveData, state: QuotaState): QuotaEvent[] => {
  const { projectId, deploymentId, holder, previewId, resources } = data;
  if (state.held[holder]?.deploymentId === deploymentId) return []; // a redelivery
  const reason = overQuota(data, state.limits ?? data.defaults, state.held) ?? overCapacity(data, data.capacity);
  if (reason) return [{ type: 'ReservationRejected', data: { projectId, deploymentId, reason } }];
  const before = state.held[holder];
  const previous = before && !before.stopped ? resourcesOf(before) : undefined;
  return [{ type: 'ResourcesReserved', data: { projectId, deploymentId, holder, resources, ...(previewId ? { previewId } : {}), ...(previous ? { previous } : {}) } }];
};

const release = (data: Extract<QuotaCommand, { type: 'Release' }>['data'], state: QuotaState): QuotaEvent[] => {
  const { projectId, reason, deploymentId } = data;
  const holders = Object.entries(state.held).filter(
    ([holder, held]) => (data.holder ? holder === data.holder : data.previewId ? held.previewId === data.previewId : true) && !(reason === 'stopped' && held.stopped),
  );
  return holders
    .filter(([, held]) => !deploymentId || held.deploymentId === deploymentId)
    .map(([holder, held]) => {
      const restored = GIVES_BACK.includes(reason) ? held.previous : undefined;
      return { type: 'ResourcesReleased', data: { projectId, holder, reason, ...(deploymentId ? { deploymentId } : {}), ...(restored ? { restored } : {}) } };
    });
};

const decide = (command: QuotaCommand, state: QuotaState): QuotaEvent[] => {
  switch (command.type) {
    case 'SetQuota':
      return JSON.stringify(state.limits) === JSON.stringify(command.data.limits) ? [] : [{ type: 'QuotaSet', data: { ...command.data, setAt: command.now } }];
    case 'Reserve':
      return reserve(command.data, state);
    case 'Release':
      return release(command.data, state);
    case 'FollowReplicas': {
      const held = state.held[command.data.holder];
      if (!held || (!held.stopped && held.replicas === command.data.replicas)) return [];
      const { projectId, holder, replicas } = command.data;
      return [{ type: 'ResourcesReserved', data: { projectId, holder, resources: { ...resourcesOf(held), replicas }, ...(held.previewId ? { previewId: held.previewId } : {}) } }];
    }
    default:
      return assertNever(command);
  }
};

const evolve = (state: QuotaState, event: QuotaEvent): QuotaState => {
  switch (event.type) {
    case 'QuotaSet':
      return { ...state, limits: event.data.limits };
    case 'ResourcesReserved': {
      const { holder, resources, previewId, deploymentId, previous } = event.data;
      return { ...state, held: { ...state.held, [holder]: { ...resources, previewId, deploymentId, previous } } };
    }
    case 'ReservationRejected':
      return state;
    case 'ResourcesReleased': {
      const { holder, reason, restored } = event.data;
      const held = { ...state.held };
      const before = held[holder];
      if (reason === 'stopped' && before) held[holder] = { ...before, stopped: true };
      else if (restored) held[holder] = { ...restored, previewId: before?.previewId };
      else delete held[holder];
      return { ...state, held };
    }
    default:
      return assertNever(event);
  }
};

export const quotaDecider: Decider<QuotaCommand, QuotaEvent, QuotaState> = { decide, evolve, initialState: { held: {} } };
