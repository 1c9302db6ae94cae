/**
 * Every error Loupe reports, with the HTTP status the server answers it with.
 * Browser-only failures use the same codes so the UI has one message table.
 */
export const ERROR_CODES = {
  INVALID_REQUEST: { status: 400, title: 'The request is malformed' },
  INVALID_PARAMS: { status: 400, title: 'Some parameters are invalid' },
  IMAGE_CORRUPT: { status: 400, title: 'The image file is damaged or truncated' },
  UNAUTHORIZED: { status: 401, title: 'A valid API token is required' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  REQUEST_TIMEOUT: { status: 408, title: 'The request took too long to arrive' },
  JOB_NOT_FINISHED: { status: 409, title: 'The job has no result yet' },
  JOB_CANCELLED: { status: 409, title: 'The job was cancelled' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The upload is too large' },
  IMAGE_TOO_LARGE: { status: 413, title: 'The image has too many pixels' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'This file is not a supported image' },
  OUTPUT_TOO_LARGE: { status: 422, title: 'The result would be too large' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal error' },
  INFERENCE_FAILED: { status: 500, title: 'Inference failed' },
  WORKER_CRASHED: { status: 500, title: 'The inference worker stopped unexpectedly' },
  MODEL_UNAVAILABLE: { status: 503, title: 'A model file is missing or corrupted' },
  QUEUE_FULL: { status: 503, title: 'The server is at capacity' },
  NOT_READY: { status: 503, title: 'The server is not ready' },
  INFERENCE_TIMEOUT: { status: 504, title: 'Inference took too long' },
  CANCELLED: { status: 499, title: 'Cancelled' },
  WEBGPU_UNAVAILABLE: { status: 500, title: 'WebGPU is not available on this device' },
  SERVER_UNREACHABLE: { status: 502, title: 'The Loupe server cannot be reached' },
  INCOMPATIBLE_PROTOCOL: {
    status: 500,
    title: 'Two parts of Loupe come from different builds and speak different protocol versions',
  },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];
