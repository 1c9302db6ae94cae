/** Bumped on any incompatible change to worker messages, SSE events or child-process IPC. */
export const PROTOCOL_VERSION = 1;
