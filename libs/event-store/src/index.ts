export * from './event-store.port';
export * from './event-store.errors';
export * from './event-ids';
export * from './decider';
export * from './command-handler';
export * from './jetstream.adapter';
export * from './jetstream-streams';
export * from './esdb.adapter';
