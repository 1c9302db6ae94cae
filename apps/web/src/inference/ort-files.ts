// The onnxruntime-web runtime files the app serves under ort/ (build/ort-assets.ts emits them;
// ort.ts points onnxruntime at one pair). Plain data, so the build can read it without ORT.

/**
 * Which WASM module a worker loads. `onnxruntime-web/webgpu` ships its own "asyncify" module,
 * which runs the WebGPU EP and the WASM EP; asyncify's instrumentation slows every CPU kernel,
 * so a worker with no WebGPU adapter loads the plain SIMD-threaded module instead (same
 * kernels, same pixels). Measured with onnxruntime-web 1.29 in Node, one thread, a 256² MAXIM
 * deraining tile: 17.3–18.9 s asyncify against 9.7–10.9 s plain; session creation 10.7 s
 * against 4.0 s.
 */
export const ORT_WASM_BUILDS = {
  webgpu: {
    mjs: 'ort-wasm-simd-threaded.asyncify.mjs',
    wasm: 'ort-wasm-simd-threaded.asyncify.wasm',
  },
  cpu: { mjs: 'ort-wasm-simd-threaded.mjs', wasm: 'ort-wasm-simd-threaded.wasm' },
} as const;

export type OrtWasmBuild = keyof typeof ORT_WASM_BUILDS;

/** Every file under ort/, both builds. */
export const ORT_RUNTIME_FILES = Object.values(ORT_WASM_BUILDS).flatMap((b) => [b.mjs, b.wasm]);
