export * from './archive';
export * from './backup';
export * from './restore';
export * from './passphrase-seal';
export * from './event-streams.backup';
export * from './registry-images.backup';
export * from './volumes.backup';
