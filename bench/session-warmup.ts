// Benchmark 1c: a fresh session's first runs and peak memory, with onnxruntime's memory pattern on
// (its default) and off (Loupe's default since this bench), on the models the server ships.
import { MODELS, type ModelId } from '@loupe/shared';
import { log, runIfMain, type BenchOptions } from './lib/cli';
import { ms, msSpread, ratio } from './lib/format';
import { versionsOf } from './lib/machine';
import { DEFAULT_SETTINGS, settingsLabel } from './lib/ort';
import { writeResult, type Table } from './lib/result';
import { pairedRatios, summarize } from './lib/stats';
import { freshRuns, type FreshRuns } from './lib/warmup-process';

const NAME = 'session-warmup';
const RUNS = 5;

/** The memory pattern per row; everything else is the server's `DEFAULT_SETTINGS`. */
const SETTINGS = {
  'pattern on (onnxruntime default)': true,
  'pattern off (Loupe default)': false,
} satisfies Record<string, boolean>;
type SettingName = keyof typeof SETTINGS;
const [ON, OFF] = Object.keys(SETTINGS) as [SettingName, SettingName];

/** The input each model meets in the server: its engine tile, or its fixed input. */
const sideOf = (id: ModelId): number =>
  MODELS[id].tile?.size ?? MODELS[id].fixedInputSize?.width ?? 256;

/** Runs 3.. are warm on either setting (measured); their median is the steady time. */
const steady = (r: FreshRuns): number => summarize(r.runsMs.slice(2)).median;

export async function run({ quick }: BenchOptions) {
  const started = performance.now();
  const models: ModelId[] = quick
    ? ['esrgan-slim-x4', 'isnet-fp16', 'maxim-enhancement']
    : [
        'esrgan-slim-x4',
        'esrgan-thick-x4',
        'isnet-fp16',
        'isnet-quint8',
        'maxim-enhancement',
        'maxim-deblurring',
      ];
  const rounds = quick ? 2 : 3;
  const data: Record<string, Record<SettingName, FreshRuns[]>> = {};
  for (const id of models) {
    const byName = { [ON]: [] as FreshRuns[], [OFF]: [] as FreshRuns[] } as Record<
      SettingName,
      FreshRuns[]
    >;
    for (let round = 0; round < rounds; round++) {
      // Alternate which setting goes first, so neither always follows the other's exit.
      const order = round % 2 === 0 ? [ON, OFF] : [OFF, ON];
      for (const name of order) {
        const r = await freshRuns(id, sideOf(id), RUNS, SETTINGS[name]);
        log(
          NAME,
          `${id} ${name}: ${r.runsMs.map((v) => v.toFixed(0)).join(' ')} ms, ${r.peakRssMb.toFixed(0)} MB`,
        );
        byName[name].push(r);
      }
    }
    data[id] = byName;
  }

  const perSetting: string[][] = [];
  const compared: string[][] = [];
  for (const id of models) {
    const input = `${sideOf(id)}² ${MODELS[id].fixedInputSize ? '(fixed)' : 'tile'}`;
    for (const name of [ON, OFF]) {
      const rs = data[id]![name];
      const second = summarize(rs.map((r) => r.runsMs[1]!));
      const warm = summarize(rs.map(steady));
      perSetting.push([
        id,
        input,
        name,
        ms(summarize(rs.map((r) => r.runsMs[0]!)).median),
        msSpread(second),
        msSpread(warm),
        `${(second.median / warm.median).toFixed(2)}×`,
        `${summarize(rs.map((r) => r.peakRssMb)).median.toFixed(0)} MB`,
      ]);
    }
    const [on, off] = [data[id]![ON], data[id]![OFF]];
    compared.push([
      id,
      ratio(
        pairedRatios(
          on.map((r) => r.runsMs[1]!),
          off.map((r) => r.runsMs[1]!),
        ),
      ),
      ratio(pairedRatios(on.map(steady), off.map(steady))),
      ratio(
        pairedRatios(
          on.map((r) => r.peakRssMb),
          off.map((r) => r.peakRssMb),
        ),
      ),
    ]);
  }
  const tables: Table[] = [
    {
      title: `A fresh session's runs (${RUNS} per process, ${rounds} processes per setting)`,
      columns: [
        'model',
        'input',
        'memory pattern',
        'run 1 ms',
        'run 2 ms',
        'steady ms (runs 3–5)',
        'run 2 / steady',
        'peak RSS',
      ],
      rows: perSetting,
    },
    {
      title: 'Pattern on ÷ pattern off, paired by round (above 1: off is faster or smaller)',
      columns: ['model', 'run 2 time', 'steady time', 'peak RSS'],
      rows: compared,
    },
  ];

  return writeResult(
    {
      name: NAME,
      title: "A fresh session's first runs and memory, memory pattern on and off",
      quick,
      versions: versionsOf(['onnxruntime-node']),
      conditions: [
        `Each measurement is a fresh Node process (bench/lib/warmup-process.ts): one CPU session, ${settingsLabel(DEFAULT_SETTINGS)} with the memory pattern as the row says, the bench photo normalised for the model, run ${RUNS} times; peak RSS = the process's maxRSS after the runs`,
        'Input: the engine tile the server cuts for the model (ESRGAN 128², MAXIM 256²) or its fixed input (ISNet 1024²)',
        'The settings alternate which goes first from round to round',
      ],
      tables,
      goals: [],
      notes: [],
      data,
    },
    started,
  );
}

runIfMain(import.meta.url, run);
