import { loadManifest, modelFile } from './lib/models';
import { createSession, runFloat, type OrtSettings } from './lib/ort';
import { interleave, summarize } from './lib/stats';
const m = loadManifest()!;
for (const id of ['esrgan-slim-x2'] as const) {
  const variants: Record<string, OrtSettings> = {};
  for (const sp of [true, false]) for (const th of [1, 2]) variants[`t${th}-spin${sp ? 1 : 0}`] = { intraOpNumThreads: th, graphOptimizationLevel: 'all', executionMode: 'sequential', allowSpinning: sp };
  const input = { data: new Float32Array(3*128*128).map((_, i) => (i * 37) % 256), dims: [1,3,128,128] };
  const c: Record<string, () => Promise<unknown>> = {};
  for (const [k, v] of Object.entries(variants)) { const s = await createSession(modelFile(m, id), v); c[k] = () => runFloat(s, { input }); }
  const t = await interleave(c, { warmup: 1, reps: 6 });
  console.log(id, Object.entries(t).map(([k, v]) => `${k}:${summarize(v).median.toFixed(0)}`).join(' '));
}
