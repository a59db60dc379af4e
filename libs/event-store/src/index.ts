export * from './event-store.port';
export * from './event-store.errors';
export * from './event-ids';
export * from './decider';
export * from './command-handler';
export * from './aggregate';
export * from './jetstream.adapter';
export * from './jetstream-streams';
// Not './esdb.adapter': no process runs on EventStoreDB, and loading its gRPC client costs each
// process 9.4 MB of RSS (issue 14). Its contract test imports it directly.
