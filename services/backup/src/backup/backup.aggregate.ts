import { aggregate, type EventStore } from '@slipway/event-store';
import { backupDecider, type BackupEvent, type BackupState } from './backup.decider';

/** A backup bound to its stream: platform.backup.events.backup.<backupId>. */
export const backups = aggregate({
  decider: backupDecider,
  stream: (backupId) => ({ context: 'backup', aggregate: 'backup', id: backupId }),
});

/** Every backup so far, by id, folded by the decider (a few a day: one read of the aggregate type). */
export const loadBackups = async (store: EventStore): Promise<Map<string, BackupState>> => {
  const all = new Map<string, BackupState>();
  for (const e of await store.readAll({ context: 'backup', aggregate: 'backup' })) {
    all.set(e.aggregateId, backupDecider.evolve(all.get(e.aggregateId) ?? backupDecider.initialState, e as unknown as BackupEvent));
  }
  return all;
};
