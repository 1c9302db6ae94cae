export * from './local-device';
export * from './work-estimate';
export * from './reasons';
export * from './policy';
