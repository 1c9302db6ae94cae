import type { GpuBufferLike, GpuDeviceLike } from './gpu-types';

// GPUBufferUsage's bits (WebGPU §5.1), spelled out because the worker's libs have no WebGPU.
// onnxruntime-web makes its own tensor buffers with exactly these three.
const STORAGE = 0x80;
const COPY_SRC = 0x04;
const COPY_DST = 0x08;

/**
 * Buffers end to end in one new buffer, on the GPU: each part's first `bytes[i]` bytes (ORT's
 * buffers may be larger than their tensor). A copy, not a kernel, so the result is the same
 * bytes the CPU concatenation makes. Sizes are multiples of 4, as copyBufferToBuffer requires:
 * a [1, 77, hidden] float32 or float16 tensor with an even hidden size always is.
 */
export function gpuConcat(
  device: GpuDeviceLike,
  parts: readonly { readonly buffer: GpuBufferLike; readonly bytes: number }[],
): GpuBufferLike {
  const total = parts.reduce((n, p) => n + p.bytes, 0);
  if (parts.some((p) => p.bytes % 4 !== 0 || p.bytes > p.buffer.size))
    throw new Error(`cannot copy ${parts.map((p) => p.bytes).join(' + ')} bytes on the GPU`);
  const out = device.createBuffer({ size: total, usage: STORAGE | COPY_SRC | COPY_DST });
  const encoder = device.createCommandEncoder();
  let at = 0;
  for (const p of parts) {
    encoder.copyBufferToBuffer(p.buffer, 0, out, at, p.bytes);
    at += p.bytes;
  }
  device.queue.submit([encoder.finish()]);
  return out;
}
