import type { z } from 'zod';
import type { Size } from '../image/rgba-image';
import type { ModelId } from '../models/model-ids';

/**
 * Where an op sits in the UI's op list; `generative` ops are the next capability, `retouch` ops
 * change only where a mask says (erase), with no model.
 */
export const OP_CATEGORIES = [
  'ai',
  'adjust',
  'filter',
  'geometry',
  'generative',
  'retouch',
] as const;
export type OpCategory = (typeof OP_CATEGORIES)[number];

/** What progress counts: tiles for image ops, denoising steps for generative ones. */
export const PROGRESS_UNITS = ['tile', 'step'] as const;
export type ProgressUnit = (typeof PROGRESS_UNITS)[number];

/**
 * What an operation consumes. Today every op edits one image; generative edits
 * (text-to-image, inpainting) will declare `image: 'none' | 'optional'`, a mask and a prompt.
 */
export interface OpInputs {
  readonly image: 'required' | 'optional' | 'none';
  readonly mask?: 'required' | 'optional';
  readonly prompt?: 'required' | 'optional';
}

/** A rough cost the placement policy weighs against the device; FLOPs come from the manifest when built. */
export interface OpCost {
  /** Work per *input* pixel; models add their manifest FLOPs on top. */
  readonly flopsPerInputPixel: number;
  /** Peak working memory per input pixel while one tile or image is in flight. */
  readonly bytesPerInputPixel: number;
}

/** A parameter that does not fit the image it is applied to, e.g. a crop past its right edge. */
export interface InputIssue {
  /** The parameter's key, e.g. `width`. */
  readonly param: string;
  readonly message: string;
}

/**
 * How an op runs as a live preview: again on every move of a control, on a screen-sized copy of
 * its input, so it must be cheap there (a filter graph, a composite). Ops without one are run
 * only when asked.
 *
 * @example OPS.blur.preview.scaleParams({ radius: 12 }, 0.25) // { radius: 3 }
 */
export interface OpPreview<P> {
  /**
   * The params on a copy `scale` (≤ 1) times the input's size, so the preview looks like the
   * result will when shrunk to the screen: a 12 px blur on a quarter-size copy is 3 px. Absent:
   * the params do not depend on the picture's size.
   */
  readonly scaleParams?: (params: P, scale: number) => P;
  /**
   * Params whose change is not cheap: live only while tuning a committed step with the same
   * values, whose costly part the preview and the commit reuse (background removal's matte
   * depends on its model; output, colour and blur are only compositing over it).
   */
  readonly reuses?: readonly (keyof P & string)[];
}

/**
 * One editing operation: its parameters as a zod schema, the models it needs and how
 * big its output is. The catalog (ops/catalog.ts) maps every OpId to one of these.
 *
 * @example OPS.upscale.outputSize({ width: 10, height: 8 }, { model: 'slim', scale: 4 }) // 40x32
 */
export interface OpSpec<S extends z.ZodObject = z.ZodObject> {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly category: OpCategory;
  readonly inputs: OpInputs;
  readonly progressUnit: ProgressUnit;
  readonly params: S;
  models(params: z.output<S>): readonly ModelId[];
  /** The parameter that picks the model (restore's `task`), named by "not installed" refusals. */
  readonly modelParam?: keyof z.output<S> & string;
  outputSize(input: Size, params: z.output<S>): Size;
  cost(params: z.output<S>): OpCost;
  /**
   * What is wrong with `params` for an input of this size, when a schema cannot know (a crop
   * rectangle must lie inside the picture). Absent: every valid params fit every input.
   */
  inputIssues?(input: Size, params: z.output<S>): readonly InputIssue[];
  /** Present when the op is cheap enough to preview live while a control moves (see `OpPreview`). */
  readonly preview?: OpPreview<z.output<S>>;
}

export function defineOp<S extends z.ZodObject>(spec: OpSpec<S>): OpSpec<S> {
  return spec;
}
