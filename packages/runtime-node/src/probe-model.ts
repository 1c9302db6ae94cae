import type { TensorData } from '@loupe/shared';

/**
 * A known-good ONNX graph built in code: a depthwise 3x3 box filter (Conv, group 4) on
 * [1, 4, H, W]. It needs no model files, so the child can probe an execution provider at
 * start and after a device error, and compare the answer with `boxFilterReference`.
 */

const VARINT = 0;
const LEN = 2;

class Proto {
  private readonly bytes: number[] = [];
  varint(field: number, value: number): this {
    this.key(field, VARINT);
    this.rawVarint(value);
    return this;
  }
  string(field: number, value: string): this {
    return this.message(field, new TextEncoder().encode(value));
  }
  message(field: number, body: Uint8Array | Proto): this {
    const data = body instanceof Proto ? body.finish() : body;
    this.key(field, LEN);
    this.rawVarint(data.length);
    for (const b of data) this.bytes.push(b);
    return this;
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
  private key(field: number, wire: number) {
    this.rawVarint((field << 3) | wire);
  }
  private rawVarint(value: number) {
    let v = value;
    while (v > 127) {
      this.bytes.push((v & 127) | 128);
      v = Math.floor(v / 128);
    }
    this.bytes.push(v);
  }
}

const FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

function tensorType(dims: (number | string)[]): Proto {
  const shape = new Proto();
  for (const d of dims)
    shape.message(1, typeof d === 'number' ? new Proto().varint(1, d) : new Proto().string(2, d));
  return new Proto().message(1, new Proto().varint(1, FLOAT).message(2, shape));
}

function valueInfo(name: string, dims: (number | string)[]): Proto {
  return new Proto().string(1, name).message(2, tensorType(dims));
}

function intsAttr(name: string, values: number[]): Proto {
  const a = new Proto().string(1, name);
  for (const v of values) a.varint(8, v);
  return a.varint(20, ATTR_INTS);
}

export const PROBE_CHANNELS = 4;

export function buildProbeModel(): Uint8Array {
  const weights = new Float32Array(PROBE_CHANNELS * 9).fill(1 / 9);
  const initializer = new Proto()
    .varint(1, PROBE_CHANNELS)
    .varint(1, 1)
    .varint(1, 3)
    .varint(1, 3)
    .varint(2, FLOAT)
    .string(8, 'w')
    .message(9, new Uint8Array(weights.buffer));
  const conv = new Proto()
    .string(1, 'x')
    .string(1, 'w')
    .string(2, 'y')
    .string(3, 'box')
    .string(4, 'Conv')
    .message(5, new Proto().string(1, 'group').varint(3, PROBE_CHANNELS).varint(20, ATTR_INT))
    .message(5, intsAttr('kernel_shape', [3, 3]))
    .message(5, intsAttr('pads', [1, 1, 1, 1]));
  const dims = [1, PROBE_CHANNELS, 'height', 'width'];
  const graph = new Proto()
    .message(1, conv)
    .string(2, 'loupe-probe')
    .message(5, initializer)
    .message(11, valueInfo('x', dims))
    .message(12, valueInfo('y', dims));
  return new Proto()
    .varint(1, 8)
    .string(2, 'loupe-server')
    .message(7, graph)
    .message(8, new Proto().string(1, '').varint(2, 17))
    .finish();
}

/** A deterministic input whose box-filtered values are easy to check. */
export function probeInput(size: number): TensorData {
  const data = new Float32Array(PROBE_CHANNELS * size * size);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 256;
  return { data, dims: [1, PROBE_CHANNELS, size, size] };
}

/** Largest difference between a probe output and the zero-padded 3x3 mean computed here. */
export function probeError(input: TensorData, output: TensorData): number {
  const size = input.dims[3]!;
  let worst = 0;
  for (let c = 0; c < PROBE_CHANNELS; c++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        let sum = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            if (yy >= 0 && yy < size && xx >= 0 && xx < size)
              sum += input.data[(c * size + yy) * size + xx]!;
          }
        }
        const got = output.data[(c * size + y) * size + x]!;
        worst = Math.max(worst, Math.abs(got - sum / 9));
      }
    }
  }
  return worst;
}
