import {
  checkCapability,
  isGenerativeOp,
  type DiffusionCapability,
  type DiffusionModelInfo,
  type OpId,
} from '@loupe/shared';

/** Each capability in the user's words, for the model picker. */
export const CAPABILITY_LABELS: Record<DiffusionCapability, string> = {
  'text-to-image': 'text to image',
  img2img: 'image to image',
  'masked-img2img': 'masked image to image',
  inpaint: 'inpainting',
  instruct: 'instruction edits',
  lcm: 'few-step (LCM)',
};

/** Whether a folder can run `op`: the engine's own capability check, so the two never differ. */
export function canRunOp(op: OpId, info: DiffusionModelInfo): boolean {
  if (!isGenerativeOp(op)) return false;
  try {
    checkCapability(op, info);
    return true;
  } catch {
    return false;
  }
}

/** The folders that can run `op`, in the server's order. */
export function foldersFor(op: OpId, folders: readonly DiffusionModelInfo[]): DiffusionModelInfo[] {
  return folders.filter((f) => canRunOp(op, f));
}

/**
 * How a folder is named in the picker. A random-weight folder (tools/models' test pipelines)
 * makes noise and is said to, never passed off as a model.
 *
 * @example folderLabel({ id: 'sd15', randomWeights: false, … }) // 'sd15'
 */
export function folderLabel(info: Pick<DiffusionModelInfo, 'id' | 'randomWeights'>): string {
  return info.randomWeights ? `${info.id} (random weights: makes noise)` : info.id;
}
