import { describe, expectTypeOf, it } from 'vitest';
import {
  receive,
  type CHILD_ANSWERS,
  type ChildAnswer,
  type ErrorPayload,
  type FromChild,
  type FromChildSchema,
  type FromChildType,
  type IncompatibleMessage,
  type ParsedToChild,
  type ParsedWorkerRequest,
  type PROTOCOL_VERSION,
  type Receipt,
  type Step,
  type StepInput,
  type TERMINAL_RESPONSE_TYPES,
  type ToChild,
  type ToChildType,
  type WorkerAnswer,
  type WorkerRequest,
  type WorkerRequestType,
  type WorkerResponse,
  type WorkerResponseType,
} from '../index';

describe('browser worker messages', () => {
  it('are unions tagged by type, each at the protocol version', () => {
    expectTypeOf<WorkerRequestType>().toEqualTypeOf<
      'probe' | 'run' | 'cancel' | 'list-cache' | 'clear-cache' | 'release' | 'preview'
    >();
    expectTypeOf<WorkerResponseType>().toEqualTypeOf<
      | 'probe-result'
      | 'download'
      | 'progress'
      | 'result'
      | 'cache-list'
      | 'cache-cleared'
      | 'released'
      | 'error'
      | 'preparing'
      | 'preview-result'
      | 'generation-preview'
    >();
    expectTypeOf<WorkerRequest['v']>().toEqualTypeOf<typeof PROTOCOL_VERSION>();
    expectTypeOf<WorkerResponse['v']>().toEqualTypeOf<typeof PROTOCOL_VERSION>();
    expectTypeOf<keyof typeof TERMINAL_RESPONSE_TYPES>().toEqualTypeOf<WorkerResponseType>();
  });

  it('send steps as StepInput and receive them parsed as Step', () => {
    expectTypeOf<Extract<WorkerRequest, { type: 'run' }>['steps']>().toEqualTypeOf<StepInput[]>();
    expectTypeOf<Extract<ParsedWorkerRequest, { type: 'run' }>['steps']>().toEqualTypeOf<Step[]>();
  });

  it('answer each request with its one terminal response; cancel has none', () => {
    expectTypeOf<WorkerAnswer<'run'>['type']>().toEqualTypeOf<'result'>();
    expectTypeOf<WorkerAnswer<'probe'>['type']>().toEqualTypeOf<'probe-result'>();
    expectTypeOf<WorkerAnswer<'preview'>['type']>().toEqualTypeOf<'preview-result'>();
    expectTypeOf<WorkerAnswer<'cancel'>>().toBeNever();
    expectTypeOf<
      Extract<WorkerResponse, { type: 'error' }>['error']
    >().toEqualTypeOf<ErrorPayload>();
  });
});

describe('server child-process messages', () => {
  it('are unions tagged by type, each at the protocol version', () => {
    expectTypeOf<ToChildType>().toEqualTypeOf<'init' | 'run' | 'cancel' | 'residency' | 'probe'>();
    expectTypeOf<FromChildType>().toEqualTypeOf<
      | 'ready'
      | 'progress'
      | 'preview'
      | 'done'
      | 'residency-done'
      | 'probe-done'
      | 'error'
      | 'residency'
      | 'device-lost'
    >();
    expectTypeOf<ToChild['v']>().toEqualTypeOf<typeof PROTOCOL_VERSION>();
    expectTypeOf<FromChild['v']>().toEqualTypeOf<typeof PROTOCOL_VERSION>();
    expectTypeOf<Extract<ParsedToChild, { type: 'run' }>['steps']>().toEqualTypeOf<Step[]>();
  });

  it('name an answer for every request, from the child’s own types', () => {
    expectTypeOf<keyof typeof CHILD_ANSWERS>().toEqualTypeOf<ToChildType>();
    expectTypeOf<ChildAnswer<'init'>['type']>().toEqualTypeOf<'ready'>();
    expectTypeOf<ChildAnswer<'run'>['type']>().toEqualTypeOf<'done'>();
    expectTypeOf<ChildAnswer<'cancel'>>().toBeNever();
  });
});

describe('receiving a message', () => {
  it('gives the schema’s output or a refusal, and an incompatible answer has a frozen shape', () => {
    expectTypeOf(receive<typeof FromChildSchema>).returns.toEqualTypeOf<Receipt<FromChild>>();
    expectTypeOf<IncompatibleMessage>().toEqualTypeOf<{
      v: number;
      type: 'incompatible';
      id: string;
      received: number | null;
      message: string;
    }>();
  });
});
