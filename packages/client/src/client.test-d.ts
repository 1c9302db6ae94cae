import type {
  EditJsonResponse,
  EditMetadata,
  ErrorCode,
  GenerateResponse,
  FieldIssue,
  GpuStatus,
  Job,
  JobEvent,
  LoupeError,
  ModelsResponse,
  OpsResponse,
  Ready,
  UploadLimits,
} from '@loupe/shared';
import { describe, expectTypeOf, it } from 'vitest';
import {
  createLoupeClient,
  type CallOptions,
  type ClientOptions,
  type EditImageResult,
  type EditRequest,
  type Fetch,
  type InvalidResponseError,
  type JobPreview,
  type LoupeClient,
  type LoupeApiError,
} from './index';

const client = createLoupeClient({ baseUrl: 'http://127.0.0.1:8787' });
const image = new Blob();

type LastParameter<F> = F extends (...args: infer A) => unknown
  ? Required<A> extends [...unknown[], infer L]
    ? L
    : never
  : never;

describe('the public contract of @loupe/client', () => {
  it('takes a base URL, a token and any fetch with the platform signature', () => {
    expectTypeOf(createLoupeClient).parameter(0).toEqualTypeOf<ClientOptions | undefined>();
    expectTypeOf(globalThis.fetch).toExtend<Fetch>();
    expectTypeOf<ClientOptions['token']>().toEqualTypeOf<string | undefined>();
  });

  it('lets every call be aborted', () => {
    expectTypeOf<{
      [K in keyof LoupeClient]: { signal: AbortSignal } extends NonNullable<
        LastParameter<LoupeClient[K]>
      >
        ? true
        : false;
    }>().toEqualTypeOf<{ [K in keyof LoupeClient]: true }>();
    expectTypeOf(client.gpuStatus).parameter(0).toEqualTypeOf<CallOptions | undefined>();
  });

  it('answers an edit by the response asked for', () => {
    expectTypeOf(client.edit(image, { op: 'invert' })).resolves.toEqualTypeOf<EditImageResult>();
    expectTypeOf(
      client.edit(new Uint8Array(4), { op: 'invert', response: 'json' }),
    ).resolves.toEqualTypeOf<EditJsonResponse>();
    expectTypeOf<EditImageResult>().toEqualTypeOf<{ image: Blob; metadata: EditMetadata }>();
  });

  it('takes one op with params, or steps, never both or neither', () => {
    expectTypeOf<{ op: 'upscale'; params: { scale: 4 } }>().toExtend<EditRequest>();
    expectTypeOf<{ steps: { op: 'blur' }[]; format: 'webp' }>().toExtend<EditRequest>();
    expectTypeOf<{ op: 'upscale'; steps: [] }>().not.toExtend<EditRequest>();
    expectTypeOf<{ op: 'explode' }>().not.toExtend<EditRequest>();
    expectTypeOf<{ format: 'png' }>().not.toExtend<EditRequest>();
    expectTypeOf<{ op: 'invert'; format: 'gif' }>().not.toExtend<EditRequest>();
    expectTypeOf<{ op: 'invert'; compression: 'small' }>().toExtend<EditRequest>();
    expectTypeOf<{ op: 'invert'; compression: 'max' }>().not.toExtend<EditRequest>();
  });

  it('answers with the shared schemas’ types', () => {
    expectTypeOf(client.job('j')).resolves.toEqualTypeOf<Job>();
    expectTypeOf(client.cancelJob('j')).resolves.toEqualTypeOf<Job>();
    expectTypeOf(client.jobResult('j')).resolves.toEqualTypeOf<Blob>();
    expectTypeOf(client.gpuStatus()).resolves.toEqualTypeOf<GpuStatus>();
    expectTypeOf(client.models()).resolves.toEqualTypeOf<ModelsResponse>();
    expectTypeOf(client.ops()).resolves.toEqualTypeOf<OpsResponse>();
    expectTypeOf(client.limits()).resolves.toEqualTypeOf<UploadLimits>();
    expectTypeOf<UploadLimits['maxUploadBytes']>().toEqualTypeOf<number>();
    expectTypeOf(client.ready()).resolves.toEqualTypeOf<Ready>();
    expectTypeOf(client.createJob(image, { op: 'invert' })).resolves.toEqualTypeOf<{
      id: string;
      state: Job['state'];
    }>();
  });

  it('makes pictures from a prompt: no image for generate, previews, the SD REST shape', () => {
    expectTypeOf(
      client.edit(null, { op: 'generate', params: { model: 'sd15', prompt: 'a fox' } }),
    ).resolves.toEqualTypeOf<EditImageResult>();
    expectTypeOf(client.jobPreview('j')).resolves.toEqualTypeOf<JobPreview>();
    expectTypeOf<JobPreview>().toEqualTypeOf<{ image: Blob; step: number; total: number }>();
    expectTypeOf(
      client.generate({ prompt: 'a fox', seed: 42 }),
    ).resolves.toEqualTypeOf<GenerateResponse>();
    // @ts-expect-error the route's own field names: guidance_scale, not guidance
    void client.generate({ prompt: 'a fox', guidance: 7 });
    expectTypeOf<Extract<JobEvent, { type: 'preview' }>['image']>().toEqualTypeOf<string>();
  });

  it('streams job events as the shared tagged union', () => {
    expectTypeOf(client.jobEvents('j', { lastEventId: '3' })).toEqualTypeOf<
      AsyncGenerator<JobEvent, void, undefined>
    >();
    expectTypeOf<
      Extract<JobEvent, { type: 'completed' }>['metadata']
    >().toEqualTypeOf<EditMetadata>();
  });

  it('throws LoupeErrors that carry what the server said', () => {
    expectTypeOf<LoupeApiError>().toExtend<LoupeError>();
    expectTypeOf<InvalidResponseError>().toExtend<LoupeError>();
    expectTypeOf<LoupeApiError['code']>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<LoupeApiError['status']>().toEqualTypeOf<number>();
    expectTypeOf<LoupeApiError['fields']>().toEqualTypeOf<FieldIssue[] | undefined>();
    expectTypeOf<LoupeApiError['retryAfter']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<InvalidResponseError['endpoint']>().toEqualTypeOf<string>();
    expectTypeOf<InvalidResponseError['issues']>().toEqualTypeOf<readonly FieldIssue[]>();
  });
});
