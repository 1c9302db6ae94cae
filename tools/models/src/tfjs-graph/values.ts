import type { HostDtype, HostTensor } from './host-tensor';

/** A tensor whose value is known at conversion time (folded away, or written as an initializer). */
export interface HostValue {
  readonly kind: 'host';
  readonly tensor: HostTensor;
}

/** A tensor computed by the ONNX graph: its value name there and its static (per-tile) shape. */
export interface GraphValue {
  readonly kind: 'graph';
  readonly name: string;
  readonly dtype: HostDtype;
  readonly shape: readonly number[];
}

export type Value = HostValue | GraphValue;

export const hostValue = (tensor: HostTensor): HostValue => ({ kind: 'host', tensor });

export const shapeOf = (v: Value): readonly number[] =>
  v.kind === 'host' ? v.tensor.shape : v.shape;

export const dtypeOf = (v: Value): HostDtype => (v.kind === 'host' ? v.tensor.dtype : v.dtype);
