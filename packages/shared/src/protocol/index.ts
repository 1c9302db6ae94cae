export * from './version';
export * from './worker-messages';
