// The public surface of @loupe/client.
export { createLoupeClient } from './client';
export type {
  CreateJobResponse,
  EditImageResult,
  GpuActionRequest,
  Health,
  JobPreview,
  LoupeClient,
} from './client';
export type { EditRequest, ImageInput, JobRequest } from './edit-request';
export { InvalidResponseError, LoupeApiError } from './errors';
export type { CallOptions, ClientOptions, Fetch } from './http';
export type { JobEventsOptions } from './job-events';
