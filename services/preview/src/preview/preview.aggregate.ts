import { aggregate, type Decider } from '@slipway/event-store';
import { PREVIEW_DEFAULTS, type EventData, type PreviewSettingsChanged } from '@slipway/proto';
import { previewDecider } from './preview.decider';

/** The preview decider bound to its stream: platform.preview.events.preview.<previewId>. */
export const previews = aggregate({
  decider: previewDecider,
  stream: (previewId) => ({ context: 'preview', aggregate: 'preview', id: previewId }),
});

type Settings = EventData<typeof PreviewSettingsChanged>;
export type PreviewSettingsCommand = { type: 'SetPreviewSettings'; data: Settings };
export type PreviewSettingsEvent = { type: 'PreviewSettingsChanged'; data: Settings };

/** A project's preview settings; the same again records nothing. */
export const previewSettingsDecider: Decider<PreviewSettingsCommand, PreviewSettingsEvent, { idleDays: number; maxRunning: number }> = {
  initialState: { ...PREVIEW_DEFAULTS },
  evolve: (_state, event) => ({ idleDays: event.data.idleDays, maxRunning: event.data.maxRunning }),
  decide: (command, state) =>
    state.idleDays === command.data.idleDays && state.maxRunning === command.data.maxRunning ? [] : [{ type: 'PreviewSettingsChanged', data: command.data }],
};

/** Bound to its stream: platform.preview.events.preview-settings.<projectId>. */
export const previewSettings = aggregate({
  decider: previewSettingsDecider,
  stream: (projectId) => ({ context: 'preview', aggregate: 'preview-settings', id: projectId }),
});
