export const OP_IDS = [
  'upscale',
  'remove-background',
  'enhance-illustration',
  'adjust',
  'blur',
  'sharpen',
  'grayscale',
  'sepia',
  'invert',
] as const;
export type OpId = (typeof OP_IDS)[number];

export function isOpId(value: string): value is OpId {
  return (OP_IDS as readonly string[]).includes(value);
}
