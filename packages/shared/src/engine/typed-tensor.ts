import { LoupeError } from '../api/loupe-error';
import { fromFloat16Bits, toFloat16Bits } from './float16';

/** The element types the engine exchanges with a runtime: images use float32; diffusion all four. */
export const TYPED_TENSOR_TYPES = ['float32', 'float16', 'int32', 'int64'] as const;
export type TypedTensorType = (typeof TYPED_TENSOR_TYPES)[number];

interface TensorOf<T extends TypedTensorType, A> {
  readonly type: T;
  readonly data: A;
  /** Row-major dims; [] is a scalar (one value). */
  readonly dims: readonly number[];
}

/**
 * A tensor of any type a diffusers graph exchanges (ids, timesteps, float16 latents). float16
 * travels as its IEEE bits, as onnxruntime takes it (no Float16Array in the runtimes we target);
 * int64 as a BigInt64Array. Runtime-neutral: both runtimes' ort.Tensor take exactly these.
 *
 * @example const ids: TypedTensor = { type: 'int64', data: BigInt64Array.of(49406n), dims: [1, 1] };
 */
export type TypedTensor =
  | TensorOf<'float32', Float32Array>
  | TensorOf<'float16', Uint16Array>
  | TensorOf<'int32', Int32Array>
  | TensorOf<'int64', BigInt64Array>;

export function isTypedTensorType(type: string): type is TypedTensorType {
  return (TYPED_TENSOR_TYPES as readonly string[]).includes(type);
}

export const elementCount = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/**
 * Numbers as a tensor of `type`: floats rounded to float16 (nearest, ties to even) or kept as
 * float32; integers rounded to the nearest whole number (a fractional Euler timestep fed to an
 * int64 graph input takes the nearest training step).
 *
 * @example typedTensor('float16', Float32Array.of(1, 0.5), [2]).data // Uint16Array [0x3c00, 0x3800]
 */
export function typedTensor(
  type: TypedTensorType,
  values: ArrayLike<number>,
  dims: readonly number[],
): TypedTensor {
  if (values.length !== elementCount(dims))
    throw new RangeError(`${values.length} values for dims [${dims.join(', ')}]`);
  switch (type) {
    case 'float32':
      return { type, data: Float32Array.from(values), dims };
    case 'float16':
      return { type, data: toFloat16Bits(Float32Array.from(values)), dims };
    case 'int32':
      return { type, data: Int32Array.from(values, (v) => Math.round(v)), dims };
    case 'int64':
      return { type, data: BigInt64Array.from(values, (v) => BigInt(Math.round(v))), dims };
  }
}

/**
 * A float tensor's values as float32 (float16 widened exactly). Integer tensors are refused:
 * nothing the engine reads back from a model is an integer.
 */
export function tensorFloats(t: TypedTensor, what: string): Float32Array {
  switch (t.type) {
    case 'float32':
      return t.data;
    case 'float16':
      return fromFloat16Bits(t.data);
    default:
      throw new LoupeError('INFERENCE_FAILED', `${what} is ${t.type}; expected a float tensor`);
  }
}
