import type { EventStore } from '@slipway/event-store';
import { INSTANCE_ID, type CallerStanding, type ServiceSourceInput } from '@slipway/proto';
import { projectNames } from '../project/project-name.decider';
import { claimArchive } from './archive-records.adapter';
import { instanceSettings } from './instance-settings.decider';
import { slipwayImageProject, type SourcePolicy } from './source-rules';

/** host:port of Slipway's registry, where the build service pushes each project's images (infra.env). */
const registry = () => process.env.REGISTRY || '127.0.0.1:5000';

/**
 * What the source rule needs to know beyond the source itself: the caller's standing (from the
 * gateway), the instance's http allow list, which project owns a name an image points at, and which
 * project an uploaded archive was uploaded for.
 */
export const loadSourcePolicy = async (
  store: EventStore,
  source: ServiceSourceInput | undefined,
  callerStanding: CallerStanding | undefined,
): Promise<SourcePolicy> => {
  const { allowedHttpGitHosts } = (await instanceSettings.load(store, INSTANCE_ID)).state;
  const named = source?.kind === 'image' ? slipwayImageProject(source.ref, registry()) : undefined;
  const claimedBy = named ? (await projectNames.load(store, named)).state.claimedBy : undefined;
  return {
    callerStanding: callerStanding ?? 'member',
    allowedHttpGitHosts,
    ...(named && claimedBy ? { imageProject: { name: named, projectId: claimedBy } } : {}),
    ...(source?.kind === 'archive' ? { archiveProjectId: await claimArchive(source.archiveId) } : {}),
  };
};
