export * from './local-device';
export * from './work-estimate';
export * from './rates';
export * from './priors';
export * from './time-model';
export * from './server-limits';
export * from './reasons';
export * from './policy';
