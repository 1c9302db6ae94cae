import { OP_IDS, OPS, type OpId } from '@loupe/shared';

/**
 * What the editor has to give an op its inputs: the mask brush (features/mask) paints masks,
 * the prompt panel with its model picker (features/generate) writes prompts. An op is listed
 * only when every input it takes has its control: listed without one it could only fail.
 */
export const EDITOR_INPUTS = { mask: true, prompt: true } as const;

/** Whether the editor can give `id` everything it takes. */
export function editorCanRun(id: OpId, inputs: typeof EDITOR_INPUTS = EDITOR_INPUTS): boolean {
  const needs = OPS[id].inputs;
  return (!needs.mask || inputs.mask) && (needs.prompt === undefined || inputs.prompt);
}

/** Ops the editor can give everything they take. The API and the worker already run them all. */
export const PICKABLE_OPS = OP_IDS.filter((id) => editorCanRun(id));
