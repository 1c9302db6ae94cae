import { OP_IDS, OPS } from '@loupe/shared';

/**
 * Ops the editor can give everything they take. Ops that need a mask wait for the editor's mask
 * brush, and prompt-driven ops for its prompt panel and model picker (issue 14): listed without
 * them they could only fail. The API and the worker already run both.
 */
export const PICKABLE_OPS = OP_IDS.filter(
  (id) => OPS[id].inputs.mask !== 'required' && OPS[id].inputs.prompt === undefined,
);
