// The engine host: what every place that serves edits over a message boundary (the browser's
// worker, the server's child) does around the engine, written once. Platform policy (which
// errors are EP failures, what to release, how to report a lost device) is passed in.
export * from './fallback';
export * from './run-registry';
export * from './run-failure';
export * from './edit-metadata';
export * from './opencv-inpainter';
