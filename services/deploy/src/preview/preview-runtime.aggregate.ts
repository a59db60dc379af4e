import { aggregate, type Decider } from '@slipway/event-store';
import type { EventData, PreviewRuntimeRemoved } from '@slipway/proto';

type Removed = EventData<typeof PreviewRuntimeRemoved>;
export type PreviewRuntimeCommand = { type: 'RecordRemoval'; data: Removed };
export type PreviewRuntimeEvent = { type: 'PreviewRuntimeRemoved'; data: Removed };

/** What deploy tore down of a preview, once per teardown asked for (a redelivered one records nothing more). */
export const previewRuntimeDecider: Decider<PreviewRuntimeCommand, PreviewRuntimeEvent, { answered: readonly string[] }> = {
  initialState: { answered: [] },
  evolve: (state, event) => ({ answered: [...state.answered, event.data.requestId] }),
  decide: (command, state) => (state.answered.includes(command.data.requestId) ? [] : [{ type: 'PreviewRuntimeRemoved', data: command.data }]),
};

/** Bound to its stream: platform.deploy.events.preview-runtime.<previewId>. */
export const previewRuntimes = aggregate({
  decider: previewRuntimeDecider,
  stream: (previewId) => ({ context: 'deploy', aggregate: 'preview-runtime', id: previewId }),
});
