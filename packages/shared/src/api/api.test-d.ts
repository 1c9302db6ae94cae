import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  ERROR_CODE_LIST,
  ERROR_CODES,
  UPLOAD_LIMIT_DEFAULTS,
  type BROWSER_EPS,
  type BrowserEp,
  type EditMetadata,
  type ErrorBody,
  type ErrorCode,
  type ErrorPayload,
  type EXECUTION_PROVIDERS,
  type ExecutionProvider,
  type ExecutionProviderSchema,
  type IMAGE_FORMATS,
  type ImageFormat,
  type ImageFormatInfo,
  type JOB_STATES,
  type JobEvent,
  type JobEventType,
  type JobState,
  type LoupeError,
  type ModelId,
  type OUTPUT_FORMATS,
  type OutputFormat,
  type Placement,
  type PLACEMENT_MODES,
  type PlacementMode,
  type PLACEMENTS,
  type Progress,
  type PROTOCOL_VERSION,
  type RESIDENCY_ACTIONS,
  type ResidencyAction,
  type SERVER_EP_PREFERENCES,
  type ServerEpPreference,
  type ServerImageFormat,
  type TERMINAL_EVENTS,
  type UploadLimits,
  type WORKER_STATES,
  type WorkerState,
} from '../index';

describe('error codes', () => {
  it('are the keys of ERROR_CODES, everywhere a code is carried', () => {
    expectTypeOf<ErrorCode>().toEqualTypeOf<keyof typeof ERROR_CODES>();
    expectTypeOf(ERROR_CODE_LIST).toEqualTypeOf<[ErrorCode, ...ErrorCode[]]>();
    expectTypeOf<ErrorPayload['code']>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<ErrorBody['error']['code']>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<LoupeError['code']>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<'NO_SUCH_CODE'>().not.toExtend<ErrorCode>();
  });

  it('keep their status as a literal, so a table of them is checked', () => {
    expectTypeOf(ERROR_CODES.NOT_FOUND.status).toEqualTypeOf<404>();
    expectTypeOf(ERROR_CODES.PAYLOAD_TOO_LARGE.status).toEqualTypeOf<413>();
    expectTypeOf<(typeof ERROR_CODES)[ErrorCode]['title']>().toExtend<string>();
  });
});

describe('closed sets and the types derived from them', () => {
  it('execution providers: the browser’s and the server preference are subsets of one set', () => {
    expectTypeOf<ExecutionProvider>().toEqualTypeOf<(typeof EXECUTION_PROVIDERS)[number]>();
    expectTypeOf<ExecutionProvider>().toEqualTypeOf<'cuda' | 'webgpu' | 'wasm' | 'cpu'>();
    expectTypeOf<z.infer<typeof ExecutionProviderSchema>>().toEqualTypeOf<ExecutionProvider>();
    expectTypeOf<BrowserEp>().toEqualTypeOf<(typeof BROWSER_EPS)[number]>();
    expectTypeOf<BrowserEp>().toExtend<ExecutionProvider>();
    expectTypeOf<ServerEpPreference>().toEqualTypeOf<(typeof SERVER_EP_PREFERENCES)[number]>();
    expectTypeOf<Exclude<ServerEpPreference, 'auto'>>().toExtend<ExecutionProvider>();
  });

  it('placements, modes, output formats, job and worker states, residency actions', () => {
    expectTypeOf<Placement>().toEqualTypeOf<(typeof PLACEMENTS)[number]>();
    expectTypeOf<Placement>().toEqualTypeOf<'browser' | 'server'>();
    expectTypeOf<PlacementMode>().toEqualTypeOf<(typeof PLACEMENT_MODES)[number]>();
    expectTypeOf<PlacementMode>().toEqualTypeOf<'auto' | Placement>();
    expectTypeOf<OutputFormat>().toEqualTypeOf<(typeof OUTPUT_FORMATS)[number]>();
    expectTypeOf<JobState>().toEqualTypeOf<(typeof JOB_STATES)[number]>();
    expectTypeOf<WorkerState>().toEqualTypeOf<(typeof WORKER_STATES)[number]>();
    expectTypeOf<ResidencyAction>().toEqualTypeOf<(typeof RESIDENCY_ACTIONS)[number]>();
  });

  it('image formats: the server’s are the ones its table marks, output formats are among them', () => {
    expectTypeOf<ImageFormat>().toEqualTypeOf<keyof typeof IMAGE_FORMATS>();
    expectTypeOf<ServerImageFormat>().toEqualTypeOf<Exclude<ImageFormat, 'bmp'>>();
    expectTypeOf<OutputFormat>().toExtend<ServerImageFormat>();
  });

  it('model ids are spelled from their parts', () => {
    expectTypeOf<'esrgan-slim-x4'>().toExtend<ModelId>();
    expectTypeOf<'isnet-fp16'>().toExtend<ModelId>();
    expectTypeOf<'esrgan-huge-x4'>().not.toExtend<ModelId>();
    expectTypeOf<'esrgan-slim-x5'>().not.toExtend<ModelId>();
  });
});

describe('EditMetadata: what ran, where and how', () => {
  it('names the placement and EP from the closed sets, and a fallback is typed, never a string', () => {
    expectTypeOf<EditMetadata['placement']>().toEqualTypeOf<Placement>();
    expectTypeOf<EditMetadata['ep']>().toEqualTypeOf<ExecutionProvider>();
    expectTypeOf<EditMetadata['fallback']>().toEqualTypeOf<
      { from: ExecutionProvider; reason: string } | undefined
    >();
    expectTypeOf<EditMetadata['output']['format']>().toEqualTypeOf<OutputFormat | undefined>();
    expectTypeOf<EditMetadata['timings']>().toEqualTypeOf<{
      queueMs: number;
      decodeMs: number;
      inferMs: number;
      encodeMs: number;
      totalMs: number;
    }>();
  });
});

describe('job events', () => {
  it('are one union tagged by type, each at the protocol version', () => {
    expectTypeOf<JobEventType>().toEqualTypeOf<
      'queued' | 'started' | 'progress' | 'preview' | 'completed' | 'failed' | 'cancelled'
    >();
    expectTypeOf<JobEvent['v']>().toEqualTypeOf<typeof PROTOCOL_VERSION>();
    expectTypeOf<keyof typeof TERMINAL_EVENTS>().toEqualTypeOf<JobEventType>();
  });

  it('carry what their type says', () => {
    expectTypeOf<
      Extract<JobEvent, { type: 'completed' }>['metadata']
    >().toEqualTypeOf<EditMetadata>();
    expectTypeOf<Extract<JobEvent, { type: 'failed' }>['error']>().toEqualTypeOf<ErrorPayload>();
    expectTypeOf<Extract<JobEvent, { type: 'progress' }>['progress']>().toEqualTypeOf<Progress>();
    expectTypeOf<Extract<JobEvent, { type: 'queued' }>>().not.toHaveProperty('metadata');
  });
});

describe('upload limits', () => {
  it('have a default for every limit the server answers', () => {
    expectTypeOf<keyof typeof UPLOAD_LIMIT_DEFAULTS>().toEqualTypeOf<
      Exclude<keyof UploadLimits, 'formats'>
    >();
    expectTypeOf(UPLOAD_LIMIT_DEFAULTS).toExtend<Omit<UploadLimits, 'formats'>>();
  });

  it('describe formats by the shared ids', () => {
    expectTypeOf<UploadLimits['formats']>().toEqualTypeOf<ImageFormatInfo[]>();
    expectTypeOf<ImageFormatInfo['id']>().toEqualTypeOf<ImageFormat>();
    expectTypeOf<UploadLimits['maxUploadBytes']>().toEqualTypeOf<number>();
  });
});
