// The benchmarks in `pnpm bench` order, their sections of docs/benchmarks.md, and the goals.
import type { ExpectedGoal, SectionSpec } from './lib/report';

export interface BenchSpec extends SectionSpec {
  /** File in bench/ that runs it and writes bench/results/<name>.json. */
  readonly file: string;
}

export const BENCHMARKS: readonly BenchSpec[] = [
  {
    name: 'upscale-cpu',
    file: 'upscale-cpu.ts',
    title: '1. Upscale on CPU: Loupe (onnxruntime-node) vs UpscalerJS (tfjs wasm)',
    intro:
      "Same esrgan weights on both sides: the peer loads the `@upscalerjs/esrgan-*` packages' model.json from " +
      'local files; Loupe runs the ONNX graph `pnpm models` converted from those same files. Ratio = UpscalerJS ' +
      'time / Loupe time per interleaved round (higher is better for Loupe). Pixels are compared on every case ' +
      '(PSNR of the uint8 outputs) so the race is fair. The native `@tensorflow/tfjs-node` backend is not ' +
      'compared: it downloads libtensorflow in its install script, which cannot run offline.',
  },
  {
    name: 'upscale-tuning',
    file: 'upscale-tuning.ts',
    title: '1b. onnxruntime-node settings for upscaling',
    intro:
      'One model and input, every setting interleaved in the same rounds; ratio = default settings time / ' +
      "this setting's time (higher is better).",
  },
  {
    name: 'session-warmup',
    file: 'session-warmup.ts',
    title: "1c. A fresh session's first runs and memory: onnxruntime's memory pattern on and off",
    intro:
      'Each row is fresh processes, as the server starts its inference child: the session opened, the same ' +
      "input run five times. The memory pattern is onnxruntime-node's default; Loupe turns it off " +
      '(packages/runtime-node/src/settings.ts). Ratios = pattern on ÷ pattern off, paired by round.',
  },
  {
    name: 'background-removal',
    file: 'background-removal.ts',
    title: '2. Background removal: Loupe vs @imgly/background-removal-node',
    intro:
      'End to end per image (encoded photo in → PNG with alpha out: decode, resize to 1024², ISNet, mask back ' +
      'to full size, encode) on the same ISNet weights (`@imgly/background-removal-data`). Ratio = imgly time / ' +
      'Loupe time per interleaved round. Masks compared as IoU of alpha ≥ 128.',
  },
  {
    name: 'efficiency-floor',
    file: 'efficiency-floor.ts',
    title: '3. Efficiency against the machine floor',
    intro:
      'The floor is what this machine can do through onnxruntime-node: a large fp32 MatMul for compute and a ' +
      "streaming Add+ReduceSum for memory bandwidth, both built with tools/models' graph builder.",
  },
  {
    name: 'diffusion-unet',
    file: 'diffusion-unet.ts',
    title: '3b. Diffusion: an SD-1.5-shaped UNet step at 512² on CPU against the matmul floor',
    intro:
      "SD-1.5-shaped, random weights (speed does not depend on weight values): tools/models' `--sd15` " +
      'pipeline (the real UNet, VAE and CLIP text encoder layers, channels and attention; 3.98 GiB in fp32; ' +
      'never a model, it draws noise) in a folder outside the repository, `LOUPE_SD15_DIR` (`<dir>` of ' +
      '`pnpm --filter @loupe/model-tools run diffusion-fixtures <dir> --sd15`; default: the OS temp folder). ' +
      '`--quick` skips when it is missing; a default run writes it first. Achieved FLOP/s = FLOPs counted ' +
      'from the graph ÷ median time, against a 1024³ MatMul interleaved in the same rounds, as in section 3.',
  },
  {
    name: 'maxim',
    file: 'maxim.ts',
    title:
      '3c. MAXIM restoration: one 256² tile on CPU against the matmul floor, and vs UpscalerJS',
    intro:
      "The seven `@upscalerjs/maxim-*` packages (0.1.0, MIT), converted to ONNX by tools/models' `buildMaxim` " +
      'for a 256² tile and run on onnxruntime-node, against a 1024³ MatMul interleaved in the same rounds (as in ' +
      'section 3), and against UpscalerJS 1.0.0 running the same package on tfjs-wasm (single-threaded in Node, ' +
      'with an Einsum kernel registered: tfjs-wasm has none) on the same pixels of a photo no MAXIM package ' +
      'ships. Ratio = UpscalerJS time / Loupe time per interleaved round. `--quick`: deblurring only.',
  },
  {
    name: 'maxim-samples',
    file: 'maxim-samples.ts',
    title: "3d. MAXIM: each package's own sample, aligned",
    intro:
      "A visual check, not a pixel reference: Loupe's restore op (the shared engine, the installed models) on each " +
      "package's assets/fixture.png against its assets/result.png. The result is framed differently from the " +
      'fixture (found here: an integer shift), so PSNR is over the overlap at that shift, beside what the unedited ' +
      'fixture scores against the same aligned result. The side-by-side pictures are written to ' +
      'bench/results/maxim-samples/. `--quick`: deblurring only.',
  },
  {
    name: 'maxim-fp16',
    file: 'maxim-fp16.ts',
    title: '3e. MAXIM in fp16: binary16 storage against fp32, measured on a CPU',
    intro:
      'What an fp16 build of each MAXIM graph would lose, without an fp16 GPU: the 256² graph run as converted and ' +
      'with every weight, input and tensor an op writes rounded to binary16 (tools/models/src/onnx/float16-storage.ts), ' +
      'once everywhere and once with the means in float32 as a mixed-precision build keeps them. Arithmetic inside ' +
      'each op stays float32, so a GPU that accumulates in fp16 can only lose more. `--quick`: deblurring only.',
  },
  {
    name: 'maxim-rewrites',
    file: 'maxim-rewrites.ts',
    title: "3f. MAXIM: tools/models' dense-layer rewrites, before and after",
    intro:
      "Each MAXIM graph converted with and without tools/models' dense-layer rewrites (the layer norms' γ and β " +
      'folded into the dense layer after them; the gMLP split computed as one dense layer per half), both run on ' +
      'onnxruntime-node in interleaved rounds on one 256² tile, with the two outputs compared. `--quick`: deraining only.',
  },
  {
    name: 'server-overhead',
    file: 'server-overhead.ts',
    title: '4. Server overhead: POST /api/edit vs bare inference',
    intro:
      'The real server (apps/server) on 127.0.0.1, ~1 MP esrgan-slim ×2 upscale, against the same edit ' +
      'through the shared engine in the bench process (no HTTP, decode, IPC or encode).',
  },
  {
    name: 'encode-settings',
    file: 'encode-settings.ts',
    title: '4b. Encoder settings: time and bytes on real model outputs',
    intro:
      "sharp's PNG (zlib level 0–9 × adaptive row filtering), WebP (effort 0–6) and JPEG (Huffman " +
      'optimisation, chroma subsampling, progressive, trellis, mozjpeg) options on esrgan-slim ×4 outputs of three ' +
      "sizes, then the compression levels the server ships (`fast`, `balanced`, `small`: the request's " +
      '`compression` field) end to end over HTTP against bare inference. Ratio = time / the time of PNG level 0 ' +
      '(no compression) in the same round.',
  },
  {
    name: 'server-memory',
    file: 'server-memory.ts',
    title: '5. Memory: 6000×6000 ×2 upscale',
    intro:
      'Peak RSS of the server process tree (parent and inference children) during one 6000² ×2 upscale.',
  },
  {
    name: 'browser',
    file: 'browser.ts',
    title: '6. In the browser (Chromium): Loupe worker vs UpscalerJS',
    intro:
      "Loupe's web worker on WASM and WebGPU (SwiftShader) vs UpscalerJS on wasm and webgl, same page, same image.",
  },
  {
    name: 'browser-memory',
    file: 'browser-memory.ts',
    title: '7. Memory in the browser: the tab during a 6000² ×2 edit',
    intro:
      'Peak RSS of the Chromium renderer hosting the real web app (served by the real server) while its ' +
      'inference worker runs a 6000² ×2 upscale on WASM, then the tab against UpscalerJS on the same ' +
      'weights, image and tiles, each in a fresh browser.',
  },
];

export const GOALS: readonly ExpectedGoal[] = [
  {
    key: 'upscale-cpu',
    goal: 'Upscale on CPU vs UpscalerJS-wasm, every size ≥ 128²',
    target: '≥ 4×',
  },
  {
    key: 'background-removal',
    goal: 'Background removal vs imgly-node, end to end, IoU ≥ 0.98',
    target: '≥ 1.5×',
  },
  {
    key: 'matmul-fraction',
    goal: 'esrgan-medium on CPU / measured fp32 matmul rate',
    target: '≥ 50%',
  },
  {
    key: 'gpu-floor',
    goal: "On a GPU, within 3× of the card's FLOP floor",
    target: '≤ 3×',
    ifMissing: 'no GPU machine was lent to this task (issue item 7 not run)',
  },
  {
    key: 'diffusion-matmul-fraction',
    goal: 'SD-1.5-shaped UNet step on CPU / measured fp32 matmul rate',
    target: '≥ 50%',
    ifMissing:
      'the SD-1.5-shaped pipeline was not written (`pnpm bench --only diffusion-unet` writes it)',
  },
  {
    key: 'diffusion-gpu',
    goal: "28 steps DPM-Solver++ 2M Karras at 512², fp16 on CUDA, vs 2.06 s per image and the card's FLOP floor",
    target: '≤ 2.06 s',
    ifMissing: 'not run — no GPU machine lent to this task',
  },
  {
    key: 'maxim-matmul-fraction',
    goal: 'MAXIM per 256² tile on CPU / measured fp32 matmul rate',
    target: '≥ 50%',
    ifMissing: 'not run (`pnpm bench --only maxim`)',
  },
  { key: 'server-overhead', goal: 'Server overhead for a 1 MP job', target: '≤ 15%' },
  {
    key: 'encode-overhead',
    goal: 'Small warm job over HTTP vs bare inference, default compression',
    target: '≤ 15%',
  },
  { key: 'health-p99', goal: '/health p99 while saturated', target: '< 100 ms' },
  { key: 'server-memory', goal: '6000² ×2 upscale, server peak RSS', target: '≤ 1.5 GB' },
];
