export const OP_IDS = [
  'upscale',
  'remove-background',
  'enhance-illustration',
  'restore',
  'adjust',
  'blur',
  'sharpen',
  'grayscale',
  'sepia',
  'invert',
  'crop',
  'rotate',
  'flip',
  'straighten',
  'resize',
  'generate',
  'img2img',
  'instruct',
  'inpaint',
  'erase',
] as const;
export type OpId = (typeof OP_IDS)[number];

export function isOpId(value: string): value is OpId {
  return (OP_IDS as readonly string[]).includes(value);
}
