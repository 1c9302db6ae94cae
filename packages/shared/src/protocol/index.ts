export * from './version';
export * from './envelope';
export * from './worker-messages';
export * from './child-messages';
export * from './shell-messages';
