// Benchmark 5: peak RSS of the server (parent + inference child) during a 6000×6000 ×2 upscale.
import sharp from 'sharp';
import { log, runIfMain, type BenchOptions } from './lib/cli';
import { PHOTO } from './lib/images';
import { versionsOf } from './lib/machine';
import { loadManifest } from './lib/models';
import { writeResult, type Goal } from './lib/result';
import {
  serverBuildNotes,
  postEdit,
  processTree,
  sampleRss,
  startServer,
} from './lib/server-process';

const NAME = 'server-memory';
const GOAL_BYTES = 1.5e9;
const MB = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

interface Case {
  readonly label: string;
  readonly side: number;
  readonly op: string;
  readonly params: object;
  readonly format: 'jpeg' | 'png';
}

/**
 * ESRGAN slim at 6000² is ~1.6e13 FLOPs: 5+ minutes on this machine even when idle, so the default
 * run sends the 6000² ×2 through the same tiled, uint8-assembled path with Anime4K 2× S (2 kFLOPs/px)
 * and runs ESRGAN at 1500²; `--full` adds ESRGAN slim ×2 at 6000².
 */
function matrix(quick: boolean, full: boolean): Case[] {
  const anime = (side: number, format: Case['format'] = 'jpeg'): Case => ({
    label: 'enhance-illustration 2× (Anime4K S)',
    side,
    op: 'enhance-illustration',
    params: { mode: 'upscale-2x', size: 's', style: 'rl' },
    format,
  });
  const slim = (side: number): Case => ({
    label: 'upscale slim ×2 (ESRGAN)',
    side,
    op: 'upscale',
    params: { model: 'slim', scale: 2 },
    format: 'jpeg',
  });
  if (quick) return [anime(3000)];
  const always = [anime(6000), anime(6000, 'png'), slim(1500)];
  return full ? [...always, slim(6000)] : always;
}

export async function run({ quick, full = false }: BenchOptions) {
  const started = performance.now();
  if (!loadManifest())
    throw new Error('public/models/manifest.json is missing: run `pnpm models` first');
  const notes = serverBuildNotes();
  const rows: string[][] = [];
  const goals: Goal[] = [];
  const data: unknown[] = [];

  for (const k of matrix(quick, full)) {
    const jpeg = new Uint8Array(
      await sharp(PHOTO).removeAlpha().resize(k.side, k.side).jpeg({ quality: 90 }).toBuffer(),
    );
    // A fresh server per case so each peak belongs to one job; the output limit is raised for
    // 144 MP and the job timeout for ESRGAN at 6000² (minutes of CPU inference).
    const server = await startServer({
      LOUPE_MAX_OUTPUT_PIXELS: String(4 * k.side * k.side + 1),
      LOUPE_JOB_TIMEOUT_S: '3600',
    });
    try {
      await new Promise((r) => setTimeout(r, 1000));
      const idle = sampleRss(server.pid).stop();
      log(
        NAME,
        `${k.label} at ${k.side}² (${(jpeg.length / 2 ** 20).toFixed(1)} MiB JPEG in, ${k.format} out)`,
      );
      const sampler = sampleRss(server.pid);
      const t0 = performance.now();
      const res = await postEdit(server.url, jpeg, 'image/jpeg', k.op, k.params, k.format).catch(
        (e: unknown) => e as Error,
      );
      const seconds = (performance.now() - t0) / 1000;
      const peak = sampler.stop();
      if (res instanceof Error) {
        // Recorded, not thrown: the other rows still count.
        log(NAME, `failed: ${res.message}`);
        rows.push([k.label, `${k.side}² → ${2 * k.side}²`, k.format, `failed: ${res.message}`]);
        data.push({ ...k, idle, peak, seconds, error: res.message });
        continue;
      }
      const processes = processTree(server.pid).length;
      rows.push([
        k.label,
        `${k.side}² → ${2 * k.side}²`,
        k.format,
        MB(peak.sampledTreePeak),
        MB(peak.hwmSum),
        MB(peak.perProcessHwm[server.pid] ?? 0),
        MB(peak.hwmSum - (peak.perProcessHwm[server.pid] ?? 0)),
        MB(idle.sampledTreePeak),
        `${seconds.toFixed(1)} s`,
        String(processes),
      ]);
      data.push({ ...k, idle, peak, seconds, outputBytes: res.bytes });
      if (k.side === 6000) {
        goals.push({
          key: 'server-memory',
          goal: `${k.label}, ${k.format} out, sampled tree peak (VmHWM sum ${MB(peak.hwmSum)})`,
          target: '≤ 1.5 GB',
          measured: `${(peak.sampledTreePeak / 1e9).toFixed(2)} GB`,
          status: peak.sampledTreePeak <= GOAL_BYTES ? 'met' : 'not met',
        });
      }
    } finally {
      await server.stop();
    }
  }
  if (!full)
    notes.push(
      'ESRGAN slim ×2 at 6000² runs only with `--full` (5+ minutes of inference on this machine).',
    );

  return writeResult(
    {
      name: NAME,
      title: 'Server memory',
      quick,
      versions: versionsOf(['onnxruntime-node', 'sharp']),
      conditions: [
        `Server: \`node apps/server/dist/server.js\`, LOUPE_EP=cpu, one inference child, LOUPE_MAX_OUTPUT_PIXELS raised to allow the 4× pixel count, LOUPE_JOB_TIMEOUT_S=3600; a fresh server per row`,
        'RSS = sum of VmRSS over the server and all its descendants, sampled every 50 ms from /proc; "VmHWM sum" adds each process\'s own high-water mark (an upper bound: the peaks need not coincide)',
        'Input: the hibiscus photo resized to N×N, JPEG q90, multipart POST /api/edit; output JPEG q90 (written in one streaming pass above 16 MP) or PNG (the API default)',
      ],
      tables: [
        {
          title: 'Peak RSS of the server process tree during one edit',
          columns: [
            'edit',
            'size',
            'output',
            'peak RSS (sampled)',
            'VmHWM sum',
            'HTTP process VmHWM',
            'inference child VmHWM',
            'idle RSS before',
            'time',
            'processes',
          ],
          rows,
        },
      ],
      goals,
      notes,
      data,
    },
    started,
  );
}

runIfMain(import.meta.url, run);
