import type { Compression, OpId, OutputFormat, StepInput } from '@loupe/shared';

/** The image to edit: a File or Blob in browsers, bytes read from disk in Node. */
export type ImageInput = Blob | Uint8Array;

/**
 * What `POST /api/edit` and `POST /api/jobs` take besides the image: one op with its params, or a
 * pipeline of steps. Params are checked by the server against the op's schema (answering
 * INVALID_PARAMS with `fields`), so any record is accepted here.
 *
 * @example { op: 'upscale', params: { model: 'slim', scale: 4 }, format: 'webp', quality: 85 }
 * @example { op: 'upscale', params: { scale: 2 }, compression: 'small' }
 * @example { steps: [{ op: 'remove-background' }, { op: 'upscale', params: { scale: 2 } }] }
 */
export type EditRequest = (
  | { op: OpId; params?: Record<string, unknown>; steps?: never }
  | { steps: readonly StepInput[]; op?: never; params?: never }
) & {
  /** Default png. */
  format?: OutputFormat;
  /** 1–100 for webp and jpeg. Default 90. */
  quality?: number;
  /** Encoder effort (`fast` | `balanced` | `small`); the server's default depends on the result's size. */
  compression?: Compression;
  /** For ops that take a mask (inpaint, erase): a picture the image's size, white where to change. */
  mask?: ImageInput;
};

/** A job also takes a URL that receives the finished job, signed (see CALLBACK_SIGNATURE_HEADER). */
export type JobRequest = EditRequest & { callbackUrl?: string };

/** The multipart form both upload routes read; `params` and `steps` travel as JSON text. */
export function editForm(
  /** null for an op that makes a new picture (`generate`): it takes none. */
  image: ImageInput | null,
  request: JobRequest,
  response?: 'image' | 'json',
): FormData {
  const form = new FormData();
  if (request.op !== undefined) form.append('op', request.op);
  if (request.params !== undefined) form.append('params', JSON.stringify(request.params));
  if (request.steps !== undefined) form.append('steps', JSON.stringify(request.steps));
  if (request.format !== undefined) form.append('format', request.format);
  if (request.quality !== undefined) form.append('quality', String(request.quality));
  if (request.compression !== undefined) form.append('compression', request.compression);
  if (request.callbackUrl !== undefined) form.append('callbackUrl', request.callbackUrl);
  if (response !== undefined) form.append('response', response);
  if (image !== null)
    form.append('image', image instanceof Blob ? image : new Blob([bytesOf(image)]), 'image');
  const { mask } = request;
  if (mask !== undefined)
    form.append('mask', mask instanceof Blob ? mask : new Blob([bytesOf(mask)]), 'mask');
  return form;
}

// Blob takes only ArrayBuffer-backed views: a view of a SharedArrayBuffer is copied first.
function bytesOf(image: Uint8Array): Uint8Array<ArrayBuffer> {
  return image.buffer instanceof ArrayBuffer
    ? (image as Uint8Array<ArrayBuffer>)
    : new Uint8Array(image);
}
