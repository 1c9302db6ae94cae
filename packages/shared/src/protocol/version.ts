/**
 * Bumped on any incompatible change to worker messages, SSE events or child-process IPC.
 * 2: child-process messages share the worker's `{ v, id }` envelope; `incompatible` answers.
 * 3: `preview` from the child and as an SSE event; runs without an input image, with diffusion folders.
 */
export const PROTOCOL_VERSION = 3;
