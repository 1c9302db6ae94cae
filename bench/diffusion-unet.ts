// Benchmark: one UNet step of the SD-1.5-shaped random-weight pipeline at 512² on CPU, against
// this machine's fp32 matmul rate measured in the same rounds (efficiency-floor's method), plus
// the text encoder and VAE decoder, and a 28-step DPM-Solver++ 2M estimate derived from them.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RANDOM_WEIGHTS_MARKER } from '@loupe/shared';
import { onnx } from '../tools/models/src/onnx/graph-builder';
import { graphFlops, type GraphFlops } from '../tools/models/src/onnx/graph-flops';
import { unetFlops } from '../tools/models/src/diffusion/unet-flops';
import { SD15_UNET } from '../tools/models/src/diffusion/unet';
import { log, runIfMain, type BenchOptions } from './lib/cli';
import { gflops, ms, msSpread, pct } from './lib/format';
import { matmulGraph } from './lib/graphs';
import { REPO_ROOT, versionsOf } from './lib/machine';
import {
  createSession,
  DEFAULT_SETTINGS,
  releaseSession,
  runFloat,
  runTyped,
  type OrtSettings,
  type Session,
  type TypedTensor,
} from './lib/ort';
import { writeResult, type BenchResult, type Goal, type Table } from './lib/result';
import { matmulRate, type Rate } from './efficiency-floor';
import {
  MAX_FLOOR_DRIFT,
  MAX_WARMUP,
  STEADY_WITHIN,
  scoredFloor,
  warmUntilSteady,
} from './lib/steady';
import { interleave, summarize } from './lib/stats';

const NAME = 'diffusion-unet';
const GOAL_FRACTION = 0.5;
const SIDE = 512;
const LATENT = SIDE / 8;
/** Classifier-free guidance runs the prompt and the negative prompt as one batch of two. */
const BATCH = 2;
const TOKENS = 77;
const STEPS = 28;
const MM = 1024;
const MM_FLOPS = 2 * MM ** 3;
const FOLDER = 'sd15-shaped-random-fp32';
const WRITE_COMMAND = 'pnpm --filter @loupe/model-tools run diffusion-fixtures <dir> --sd15';
const RANDOM = 'SD-1.5-shaped, random weights (speed does not depend on weight values)';

/** Where the pipeline lives: `LOUPE_SD15_DIR` is the `<dir>` given to the writer, never the repo. */
function pipelineDir(): string {
  const root = process.env.LOUPE_SD15_DIR ?? path.join(os.tmpdir(), 'loupe-sd15');
  return path.join(path.resolve(root), FOLDER);
}

function pipelinePresent(dir: string): boolean {
  const index = path.join(dir, 'model_index.json');
  if (!existsSync(index) || !existsSync(path.join(dir, 'unet', 'model.onnx_data'))) return false;
  const parsed = JSON.parse(readFileSync(index, 'utf8')) as Record<string, unknown>;
  return parsed[RANDOM_WEIGHTS_MARKER] === true;
}

/** Writes the pipeline with the documented command in a child process; returns its seconds. */
function writePipeline(dir: string): number {
  const root = path.dirname(dir);
  log(NAME, `writing the SD-1.5-shaped pipeline (about 4 GiB) to ${root}`);
  const t0 = performance.now();
  const cli = path.join(REPO_ROOT, 'tools', 'models', 'src', 'diffusion', 'cli.ts');
  const r = spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [cli, root, '--sd15'], {
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`writing the pipeline failed (${r.status ?? r.signal})`);
  return (performance.now() - t0) / 1000;
}

function countFlops(dir: string, part: string, sizes: Record<string, number[]>): GraphFlops {
  const graph = onnx.ModelProto.decode(readFileSync(path.join(dir, part, 'model.onnx'))).graph!;
  return graphFlops(graph, sizes);
}

/** Deterministic values in [-1, 1): the weights are random, the inputs need not be. */
function filled(count: number): Float32Array {
  const a = new Float32Array(count);
  for (let i = 0; i < count; i++) a[i] = ((i * 7919) % 2000) / 1000 - 1;
  return a;
}

/** CLIP's layout: start, a few tokens, end, padded with end; ids do not change the work. */
function inputIds(): TypedTensor {
  const ids = new BigInt64Array(BATCH * TOKENS).fill(49407n);
  for (let b = 0; b < BATCH; b++) {
    ids[b * TOKENS] = 49406n;
    for (let i = 1; i < 8; i++) ids[b * TOKENS + i] = BigInt(320 + i * 11 + b);
  }
  return { type: 'int64', data: ids, dims: [BATCH, TOKENS] };
}

async function timedOpen(file: string, settings: OrtSettings = DEFAULT_SETTINGS) {
  const t0 = performance.now();
  const session = await createSession(file, settings);
  return { session, ms: performance.now() - t0 };
}

const peakRssBytes = () => process.resourceUsage().maxRSS * 1024;
const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
const tflop = (flops: number) => `${(flops / 1e12).toFixed(3)} TFLOP`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const loadAvg = () =>
  os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(', ');

/** Everything one run measured: the result's tables are built from it (and can be rebuilt). */
export interface RunData {
  pipeline: string;
  batch: number;
  side: number;
  quick: boolean;
  flops: { unet: GraphFlops; text: GraphFlops; vae: GraphFlops };
  unetFormulaFlops: number;
  /** Standalone matmul rates, efficiency-floor's `matmulRate` (absent in runs before it was added). */
  floor?: Rate[];
  /** The same, measured again once every session is released: did the machine's floor move? */
  floorAfter?: Rate[];
  times: {
    text: number[];
    unetAuto: { unet: number[]; mm: number[] };
    unetSingle?: { unet: number[]; mm: number[] };
    vae: number[];
  };
  /** The untimed first UNet steps of each session, until two in a row agreed (see `warmUntilSteady`). */
  warmup?: { auto: number[]; single?: number[] };
  loadMs: { text: number; unet: number; vae: number };
  peakRssBytes: number;
  writeSeconds?: number;
  loadAverage: { start: string; end: string };
}

async function measure(quick: boolean, dir: string, writeSeconds?: number): Promise<RunData> {
  const loadAtStart = loadAvg();
  log(NAME, 'counting FLOPs from the graphs');
  const unetSizes = {
    sample: [BATCH, 4, LATENT, LATENT],
    timestep: [],
    encoder_hidden_states: [BATCH, TOKENS, 768],
  };
  const flops = {
    unet: countFlops(dir, 'unet', unetSizes),
    text: countFlops(dir, 'text_encoder', { input_ids: [BATCH, TOKENS] }),
    vae: countFlops(dir, 'vae_decoder', { latent_sample: [1, 4, LATENT, LATENT] }),
  };
  const one: OrtSettings = { ...DEFAULT_SETTINGS, intraOpNumThreads: 1 };
  log(NAME, 'matmul floor');
  const floor = [await matmulRate(MM, DEFAULT_SETTINGS, 5), await matmulRate(MM, one, 5)];

  const file = (part: string) => path.join(dir, part, 'model.onnx');
  log(NAME, 'opening the text encoder, UNet and VAE decoder (default threads)');
  const text = await timedOpen(file('text_encoder'));
  const unet = await timedOpen(file('unet'));
  const vae = await timedOpen(file('vae_decoder'));
  const mmAuto = await createSession(matmulGraph(MM, MM, MM));
  const mmX = { data: new Float32Array(MM * MM).fill(0.25), dims: [MM, MM] };
  const mmOnce = (s: Session) => () => runFloat(s, { x: mmX });

  log(NAME, 'text encoder, batch 2');
  const ids = inputIds();
  const textOut = await runTyped(text.session, { input_ids: ids });
  const textTimes = await interleave(
    { text: () => runTyped(text.session, { input_ids: ids }) },
    { warmup: 1, reps: quick ? 3 : 5 },
  );

  const unetFeeds: Record<string, TypedTensor> = {
    sample: { type: 'float32', data: filled(BATCH * 4 * LATENT * LATENT), dims: unetSizes.sample },
    timestep: { type: 'float32', data: Float32Array.of(999), dims: [] },
    encoder_hidden_states: textOut.last_hidden_state!,
  };
  const step = (s: Session) => () => runTyped(s, unetFeeds);
  const reps = unetReps(quick);
  log(NAME, `UNet step, batch 2, default threads (warm-up until steady, then ${reps})`);
  const warmAuto = await warmUntilSteady(step(unet.session));
  const auto = await unetRounds(step(unet.session), mmOnce(mmAuto), reps);

  log(NAME, 'VAE decoder, 512²');
  const latent: TypedTensor = {
    type: 'float32',
    data: filled(4 * LATENT * LATENT),
    dims: [1, 4, LATENT, LATENT],
  };
  const vaeTimes = await interleave(
    { vae: () => runTyped(vae.session, { latent_sample: latent }) },
    { warmup: 1, reps: quick ? 1 : 2 },
  );
  // The whole pipeline resident and each part run: what a server child holding it would reach.
  const peakRss = peakRssBytes();
  for (const s of [text.session, vae.session, unet.session, mmAuto]) await releaseSession(s);

  let single: RunData['times']['unetSingle'];
  let warmSingle: number[] | undefined;
  if (!quick) {
    log(NAME, `UNet step, batch 2, 1 thread (warm-up until steady, then ${reps})`);
    const unet1 = await createSession(file('unet'), one);
    const mm1 = await createSession(matmulGraph(MM, MM, MM), one);
    warmSingle = await warmUntilSteady(step(unet1));
    single = await unetRounds(step(unet1), mmOnce(mm1), reps);
    await releaseSession(unet1);
    await releaseSession(mm1);
  }
  log(NAME, 'matmul floor again');
  const floorAfter = [await matmulRate(MM, DEFAULT_SETTINGS, 5), await matmulRate(MM, one, 5)];
  return {
    pipeline: FOLDER,
    batch: BATCH,
    side: SIDE,
    quick,
    flops,
    unetFormulaFlops: unetFlops(SD15_UNET, {
      batch: BATCH,
      height: LATENT,
      width: LATENT,
      sequence: TOKENS,
    }),
    floor,
    floorAfter,
    times: { text: textTimes.text, unetAuto: auto, unetSingle: single, vae: vaeTimes.vae },
    warmup: { auto: warmAuto, ...(warmSingle ? { single: warmSingle } : {}) },
    loadMs: { text: text.ms, unet: unet.ms, vae: vae.ms },
    peakRssBytes: peakRss,
    ...(writeSeconds === undefined ? {} : { writeSeconds }),
    loadAverage: { start: loadAtStart, end: loadAvg() },
  };
}

const unetReps = (quick: boolean) => (quick ? 1 : 2);

/** MatMuls per round: one 15 ms sample beside a 10–20 s step is too easily one unlucky one. */
const MM_PER_ROUND = 5;

/**
 * `reps` rounds of one UNet step and then `MM_PER_ROUND` MatMuls (their median is the round's
 * floor), so the floor is sampled where the step ran and a single slow MatMul cannot score it.
 */
async function unetRounds(
  unet: () => Promise<unknown>,
  mm: () => Promise<unknown>,
  reps: number,
): Promise<{ unet: number[]; mm: number[] }> {
  await mm();
  const out = { unet: [] as number[], mm: [] as number[] };
  for (let round = 0; round < reps; round++) {
    const t0 = performance.now();
    await unet();
    out.unet.push(performance.now() - t0);
    const mms: number[] = [];
    for (let i = 0; i < MM_PER_ROUND; i++) {
      const t1 = performance.now();
      await mm();
      mms.push(performance.now() - t1);
    }
    out.mm.push(median(mms));
  }
  return out;
}
const median = (ms: readonly number[]) => summarize(ms).median;
const rate = (work: number, ms: readonly number[]) => work / (median(ms) / 1000);

/**
 * A 15 ms MatMul sampled once beside each 40 s UNet step sees whatever load that moment has
 * (a shared machine at load 9 gave 27 and 206 ms). A pair is scored only when its MatMul rounds
 * agree within this factor and the UNet does not "beat" the MatMul: above 100% means the
 * short MatMul was slowed more than the long step, not that the graph outran the floor.
 */
const MAX_FLOOR_SPREAD = 2;
const floorSpread = (mm: readonly number[]) => Math.max(...mm) / Math.min(...mm);

function unscoredReason(mm: readonly number[], fraction: number): string | undefined {
  if (floorSpread(mm) > MAX_FLOOR_SPREAD)
    return `the MatMul took ${ms(Math.min(...mm))}–${ms(Math.max(...mm))} ms across rounds`;
  if (fraction > 1) return "above the MatMul's own rate: load slowed the short MatMul more";
  return undefined;
}

/** The floor a pair is scored against (lib/steady.ts); runs from before `floorAfter` have none. */
function floorOf(raw: RunData, index: 0 | 1) {
  const before = raw.floor?.[index];
  const after = raw.floorAfter?.[index];
  return before && after ? scoredFloor(before, after) : undefined;
}

/** The tables, goals and notes of a run, from its measurements alone. */
export function resultParts(raw: RunData) {
  const { flops, times } = raw;
  const unetWork = flops.unet.total;
  const pairs = [
    ...(times.unetSingle ? [['1 thread', times.unetSingle] as const] : []),
    ['default threads', times.unetAuto] as const,
  ].map(([threads, t]) => {
    const floor = floorOf(raw, threads === '1 thread' ? 1 : 0);
    const fraction = rate(unetWork, t.unet) / (floor?.rate ?? rate(MM_FLOPS, t.mm));
    const unscored = floor ? floor.unscored : unscoredReason(t.mm, fraction);
    const over = fraction > 1 ? "above the floor's rate: the floor was measured slow" : undefined;
    return { threads, t, floor, stable: !unscored && !over, unscored: unscored ?? over, fraction };
  });
  const autoPair = pairs[pairs.length - 1]!;
  const shown = (p: (typeof pairs)[number]) =>
    p.unscored ? `${pct(p.fraction)}, not scored: ${p.unscored}` : pct(p.fraction);
  const autoFloor = autoPair.floor?.rate ?? rate(MM_FLOPS, times.unetAuto.mm);
  const partRow = (label: string, work: number, t: readonly number[]) => [
    label,
    msSpread(summarize(t)),
    tflop(work),
    gflops(rate(work, t)),
    `${gflops(autoFloor)} (default threads' floor)`,
    autoPair.stable ? pct(rate(work, t) / autoFloor) : 'n/a (pair not scored)',
    '—',
  ];
  const textMs = median(times.text);
  const unetMs = median(times.unetAuto.unet);
  const vaeMs = median(times.vae);
  const totalMs = textMs + STEPS * unetMs + vaeMs;
  const headline = pairs[0]!;
  const notes: string[] = [];
  if (raw.unetFormulaFlops !== unetWork)
    notes.push(
      `UNet FLOPs: graph ${unetWork}, architecture formula ${raw.unetFormulaFlops}: they differ.`,
    );
  if (raw.writeSeconds !== undefined)
    notes.push(
      `The pipeline was missing and was written in this run in ${raw.writeSeconds.toFixed(0)} s.`,
    );
  for (const p of pairs.filter((x) => !x.stable))
    notes.push(
      `The ${p.threads} pair is not scored (${p.unscored}): the load moved under it, so its fraction measures the load, not the graph; rerun on a quieter machine.`,
    );

  const goals: Goal[] = [
    {
      key: 'diffusion-matmul-fraction',
      goal:
        headline.threads === '1 thread'
          ? `UNet step, 512², CFG batch 2, 1 thread each (default threads: ${shown(autoPair)})`
          : 'UNet step, 512², CFG batch 2, default threads (`--quick`: no 1-thread pair)',
      target: '≥ 50%',
      measured: shown(headline),
      status: !headline.stable ? 'not run' : headline.fraction >= GOAL_FRACTION ? 'met' : 'not met',
    },
  ];

  const conditions = [
    `${RANDOM}: tools/models' \`--sd15\` pipeline, fp32, optimum layout; onnxruntime-node CPU EP, ${DEFAULT_SETTINGS.graphOptimizationLevel} optimisations`,
    `One UNet step = one call on latents ${BATCH}×4×${LATENT}×${LATENT} (classifier-free guidance: prompt and negative prompt as one batch of 2), scalar timestep, text states ${BATCH}×${TOKENS}×768 from the text encoder; untimed warm-up steps until two in a row agree within ${pct(STEADY_WITHIN)} (at most ${MAX_WARMUP}; ${warmupText(raw)}), then ${unetReps(raw.quick)} timed round(s) per thread setting; scored against the faster of two standalone ${MM}³ MatMuls at the same thread count (efficiency-floor's \`matmulRate\`), one before the sessions open and one after they close, unscored when those differ more than ${MAX_FLOOR_DRIFT}× (the 1-thread pair is the headline); ${MM_PER_ROUND} MatMuls after each step are reported, not scored: between steps they read 2–3× slower than alone; a pair above 100% is not scored`,
    'FLOPs = 2 × multiply-adds of every Conv, MatMul (linear and attention) and Gemm, counted over each ONNX graph with shapes inferred from the input sizes (tools/models/src/onnx/graph-flops.ts); the UNet count ' +
      (raw.unetFormulaFlops === unetWork ? 'equals' : 'differs from (see the note)') +
      ' the architecture formula of tools/models/src/diffusion/unet-flops.ts; norms, softmax and element-wise ops are not counted',
    `28-step estimate = text encoder (batch 2) + ${STEPS} × UNet step + VAE decoder (batch 1), each its median here: derived from the measured parts, not timed end to end; DPM-Solver++ 2M calls the UNet once per step and its own arithmetic on 16 k latents is negligible`,
    "Peak RSS: the bench process's high-water mark with text encoder, UNet and VAE decoder open and each run (before the 1-thread UNet session opens); it includes reading the graphs for the FLOP count",
    `load average (1, 5, 15 min) at start ${raw.loadAverage.start}, at end ${raw.loadAverage.end} (\`uptime\`; 2 cores shared with other engineers' runs)`,
  ];

  const tables: Table[] = [
    {
      title: `UNet step and the other parts, 512², against a ${MM}³ MatMul in the same rounds`,
      columns: [
        'part',
        'median ms ±IQR/2',
        'FLOPs (graph)',
        'achieved',
        'matmul floor',
        'achieved / floor',
        'MatMul between steps (not scored)',
      ],
      rows: [
        ...pairs.map((p) => [
          `UNet step, batch 2, ${p.threads}`,
          msSpread(summarize(p.t.unet)),
          tflop(unetWork),
          gflops(rate(unetWork, p.t.unet)),
          p.floor?.text ?? `${gflops(rate(MM_FLOPS, p.t.mm))} (in the rounds)`,
          shown(p),
          `${gflops(rate(MM_FLOPS, p.t.mm))} (${p.t.mm.map((x) => ms(x)).join(', ')} ms)`,
        ]),
        partRow('text encoder, batch 2, default threads', flops.text.total, times.text),
        partRow('VAE decoder 64² → 512², default threads', flops.vae.total, times.vae),
      ],
    },
    ...(raw.floor
      ? [
          {
            title:
              "Machine floor in this run (efficiency-floor's `matmulRate`, before the sessions open and after they close)",
            columns: ['measurement', 'median ms ±IQR/2', 'rate', 'UNet step at this rate'],
            rows: [
              ...raw.floor.map((f, i) => ({ f, i, when: 'before' })),
              ...(raw.floorAfter ?? []).map((f, i) => ({ f, i, when: 'after' })),
            ].map(({ f, i, when }) => [
              `${f.label}, ${when}`,
              f.spread,
              gflops(f.rate),
              pct(
                rate(
                  unetWork,
                  (i === 0 ? times.unetAuto : (times.unetSingle ?? times.unetAuto)).unet,
                ) / f.rate,
              ),
            ]),
          },
        ]
      : []),
    {
      title: '28 steps of DPM-Solver++ 2M Karras at 512² (derived from the parts above)',
      columns: ['where', 'text encoder', `UNet × ${STEPS}`, 'VAE decoder', 'per image'],
      rows: [
        [
          'CPU, default threads, fp32',
          seconds(textMs),
          seconds(STEPS * unetMs),
          seconds(vaeMs),
          seconds(totalMs),
        ],
        ['GPU, CUDA fp16', '—', '—', '—', 'not run — no GPU machine lent to this task'],
      ],
    },
    {
      title: 'Opening the sessions and memory',
      columns: ['measurement', 'value'],
      rows: [
        ['text encoder session, first open', seconds(raw.loadMs.text)],
        ['UNet session, first open (3.2 GiB of external-data weights)', seconds(raw.loadMs.unet)],
        ['VAE decoder session, first open', seconds(raw.loadMs.vae)],
        ['peak RSS, pipeline open and run', gib(raw.peakRssBytes)],
        ...(raw.writeSeconds === undefined
          ? []
          : [['writing the pipeline (`--sd15`, 3.98 GiB)', `${raw.writeSeconds.toFixed(0)} s`]]),
      ],
    },
    {
      title: 'FLOPs per call, counted from the graphs',
      columns: ['graph', 'input', 'Conv', 'MatMul (linear)', 'MatMul (attention)', 'total'],
      rows: (
        [
          ['UNet', `${BATCH}×4×${LATENT}²`, flops.unet],
          ['text encoder', `${BATCH}×${TOKENS} ids`, flops.text],
          ['VAE decoder', `1×4×${LATENT}²`, flops.vae],
        ] as const
      ).map(([label, input, f]) => [
        label,
        input,
        tflop(f.conv),
        tflop(f.matmul),
        tflop(f.attention),
        tflop(f.total),
      ]),
    },
  ];
  return { conditions, tables, goals, notes };
}

/** The warm-up steps as run, for the conditions: a fresh session's first steps are slower. */
function warmupText(raw: RunData): string {
  const w = raw.warmup;
  if (!w) return 'this run had 1 fixed warm-up step';
  const list = (t: readonly number[]) => t.map((x) => seconds(x)).join(', ');
  return `default threads ${list(w.auto)}${w.single ? `, 1 thread ${list(w.single)}` : ''}`;
}

const TITLE = 'SD-1.5-shaped UNet step on CPU against the matmul floor';

export async function run({ quick }: BenchOptions) {
  const started = performance.now();
  const dir = pipelineDir();
  let writeSeconds: number | undefined;
  if (!pipelinePresent(dir)) {
    if (quick) {
      // No result file: the docs keep the last real measurement rather than a skip.
      log(NAME, `skipped: run \`${WRITE_COMMAND}\` to write it (LOUPE_SD15_DIR=<dir>)`);
      return undefined;
    }
    writeSeconds = writePipeline(dir);
  }
  const raw = await measure(quick, dir, writeSeconds);
  return writeResult(
    {
      name: NAME,
      title: TITLE,
      quick,
      versions: versionsOf(['onnxruntime-node']),
      ...resultParts(raw),
      data: raw,
    },
    started,
  );
}

/** The same run's result with its tables rebuilt from its raw data (when the scoring changes). */
export function rebuildResult(old: BenchResult): BenchResult {
  const raw = old.data as RunData;
  return { ...old, title: TITLE, ...resultParts({ ...raw, quick: old.quick }) };
}

runIfMain(import.meta.url, run);
