export * from './model-runner';
