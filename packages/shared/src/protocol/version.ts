/**
 * Bumped on any incompatible change to worker messages, SSE events or child-process IPC.
 * 2: child-process messages share the worker's `{ v, id }` envelope; `incompatible` answers.
 */
export const PROTOCOL_VERSION = 2;
