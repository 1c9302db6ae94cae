// Benchmark 4: what the real server adds to an upscale (HTTP, multipart, decode, queue, IPC to the
// inference child, encode), and how it behaves with 1, 4 and 16 concurrent clients.
import sharp from 'sharp';
import { MODELS, esrganModelId, tileSizeForEp } from '@loupe/shared';
import { log, runIfMain, type BenchOptions } from './lib/cli';
import { ms, msSpread, pct, ratio } from './lib/format';
import { photoRgb } from './lib/images';
import { engineUpscale } from './lib/loupe-engine';
import { versionsOf } from './lib/machine';
import { loadManifest, modelFile } from './lib/models';
import { DEFAULT_SETTINGS, OrtRunner, settingsLabel } from './lib/ort';
import { writeResult, type Goal } from './lib/result';
import { serverBuildNotes, postEdit, startServer, type RunningServer } from './lib/server-process';
import { interleave, pairedRatios, percentile, summarize } from './lib/stats';

const NAME = 'server-overhead';
const PARAMS = { model: 'slim', scale: 2 } as const;

async function pngOf(side: number): Promise<Uint8Array> {
  const img = await photoRgb(side, side);
  return new Uint8Array(
    await sharp(img.data, { raw: { width: side, height: side, channels: 3 } })
      .png()
      .toBuffer(),
  );
}

/** `clients` loops each sending `perClient` requests back to back; /health polled meanwhile. */
async function load(server: RunningServer, png: Uint8Array, clients: number, perClient: number) {
  const latencies: number[] = [];
  const errors: string[] = [];
  const health: number[] = [];
  let running = true;
  let healthErrors = 0;
  const poll = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        await fetch(`${server.url}/health`).then((r) => r.arrayBuffer());
        health.push(performance.now() - t0);
      } catch {
        healthErrors++;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < perClient; i++) {
        const s = performance.now();
        try {
          await postEdit(server.url, png, 'image/png', 'upscale', PARAMS);
          latencies.push(performance.now() - s);
        } catch (e) {
          errors.push(e instanceof Error ? e.message.slice(0, 160) : String(e));
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  running = false;
  await poll;
  return {
    clients,
    requests: latencies.length,
    errors,
    seconds,
    throughput: latencies.length / seconds,
    latencies,
    health,
    healthErrors,
  };
}

export async function run({ quick }: BenchOptions) {
  const started = performance.now();
  const manifest = loadManifest();
  if (!manifest) throw new Error('public/models/manifest.json is missing: run `pnpm models` first');
  const buildNotes = serverBuildNotes();
  const notes = [...buildNotes];

  const side = quick ? 512 : 1024;
  const reps = quick ? 2 : 3;
  const server = await startServer();
  const goals: Goal[] = [];
  try {
    // Overhead: the same edit end to end over HTTP and bare through the engine in this process.
    const png = await pngOf(side);
    const img = await photoRgb(side, side);
    const runner = new OrtRunner((id) => modelFile(manifest, id));
    log(NAME, `overhead at ${side}² (1 warm-up + ${reps} rounds)`);
    const t = await interleave(
      {
        server: () => postEdit(server.url, png, 'image/png', 'upscale', PARAMS),
        // Same tiles as the server's CPU child, so only HTTP, decode, IPC and encode differ.
        bare: () =>
          engineUpscale(
            runner,
            img,
            PARAMS.model,
            PARAMS.scale,
            tileSizeForEp('cpu')?.(MODELS[esrganModelId(PARAMS.model, PARAMS.scale)], {
              width: side,
              height: side,
            }),
          ),
      },
      { warmup: 1, reps },
    );
    await runner.release();
    const over = pairedRatios(t.server, t.bare);
    const overhead = over.median - 1;
    goals.push({
      key: 'server-overhead',
      goal: `slim ×2, ${side}² (${((side * side) / 1e6).toFixed(2)} MP) PNG in and out`,
      target: '≤ 15%',
      measured: pct(overhead),
      status: overhead <= 0.15 ? 'met' : 'not met',
    });

    // Concurrency on a smaller job so 16 clients finish in seconds, not minutes, on 2 cores.
    const loadSide = quick ? 128 : 256;
    const loadPng = await pngOf(loadSide);
    const levels = quick
      ? [
          [1, 2],
          [4, 1],
          [16, 1],
        ]
      : [
          [1, 4],
          [4, 2],
          [16, 2],
        ];
    const loads = [];
    for (const [clients, perClient] of levels) {
      log(NAME, `${clients} clients × ${perClient} requests at ${loadSide}²`);
      loads.push(await load(server, loadPng, clients!, perClient!));
    }
    for (const l of loads) {
      const kinds = [...new Set(l.errors.map((e) => e.replace(/,"requestId":"[^"]*"/, '')))];
      if (kinds.length > 0)
        notes.push(
          `${l.clients} clients: ${l.errors.length} of ${l.errors.length + l.requests} requests failed: ${kinds.join('; ')}`,
        );
      if (l.healthErrors > 0)
        notes.push(`${l.clients} clients: ${l.healthErrors} /health polls failed to connect`);
    }
    const saturated = loads[loads.length - 1]!;
    const healthP99 = percentile(saturated.health, 0.99);
    goals.push({
      key: 'health-p99',
      goal:
        `${saturated.clients} clients, ${saturated.health.length} polls` +
        (saturated.errors.length > 0
          ? ` (but the server refused ${saturated.errors.length} of ${saturated.errors.length + saturated.requests} edits with 500, so it was not saturated as intended)`
          : ''),
      target: '< 100 ms',
      measured: `${ms(healthP99)} ms`,
      status: healthP99 < 100 ? 'met' : 'not met',
    });

    return writeResult(
      {
        name: NAME,
        title: 'Server overhead',
        quick,
        versions: versionsOf(['onnxruntime-node', 'sharp']),
        conditions: [
          `Server: \`node apps/server/dist/server.js\` (${buildNotes.length ? 'existing build' : 'rebuilt by this run'}), LOUPE_EP=cpu, 1 inference child (LOUPE_WORKERS default), rate limit lifted, on 127.0.0.1`,
          `Request: multipart POST /api/edit, op=upscale ${JSON.stringify(PARAMS)}, PNG in, PNG out; the client is Node's fetch in the bench process`,
          `Bare: the shared engine in the bench process on the same pixels (RGBA, no decode/encode), onnxruntime-node ${settingsLabel(DEFAULT_SETTINGS)}; the server's child runs the same engine`,
          `Overhead = server time / bare time − 1, per interleaved round; concurrency levels use ${loadSide}² inputs so 16 clients finish in seconds; p99 of a few dozen requests is close to their maximum`,
          '/health polled every 100 ms from the bench process during each concurrency level',
        ],
        tables: [
          {
            title: `End to end vs bare inference, ${side}² slim ×2`,
            columns: ['server / bare', 'overhead', 'server ms', 'bare ms', 'rounds'],
            rows: [
              [
                ratio(over),
                pct(overhead),
                msSpread(summarize(t.server)),
                msSpread(summarize(t.bare)),
                String(reps),
              ],
            ],
          },
          {
            title: `Concurrent clients, ${loadSide}² slim ×2 per request`,
            columns: [
              'clients',
              'requests ok',
              'failed',
              'throughput req/s',
              'p50 ms',
              'p99 ms',
              '/health p50 ms',
              '/health p99 ms',
              'polls',
            ],
            rows: loads.map((l) => [
              String(l.clients),
              String(l.requests),
              String(l.errors.length),
              l.throughput.toFixed(2),
              ms(percentile(l.latencies, 0.5)),
              ms(percentile(l.latencies, 0.99)),
              ms(percentile(l.health, 0.5)),
              ms(percentile(l.health, 0.99)),
              String(l.health.length),
            ]),
          },
        ],
        goals,
        notes,
        data: { overhead: { side, times: t, ratio: over }, loads },
      },
      started,
    );
  } catch (e) {
    console.error(`server stderr:\n${server.stderr()}`);
    throw e;
  } finally {
    await server.stop();
  }
}

runIfMain(import.meta.url, run);
