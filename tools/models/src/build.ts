/**
 * `pnpm models`: runs every converter, writes public/models/<id>.onnx and manifest.json.
 * `--permissive-only` leaves out copyleft weights (ISNet, AGPL-3.0). `--maxim=<task>,…` builds only
 * those MAXIM restoration tasks (all seven by default; `--maxim=none` for none). A converter whose code and source packages are unchanged since the last
 * run is skipped (public/models/.build-cache.json).
 */
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  MANIFEST_VERSION,
  MODELS,
  ManifestSchema,
  isModelId,
  isPermissive,
  type ManifestEntry,
  type ModelFamily,
} from '@loupe/shared';
import { convertAnime4k } from './anime4k';
import type { BuildContext, Converter } from './build-context';
import { convertFilters } from './filters';
import { convertIsnet } from './isnet';
import {
  cacheKey,
  entriesStillValid,
  readCache,
  writeCache,
  type BuildCache,
} from './manifest/build-cache';
import { manifestEntry, modelFileName } from './manifest/entry';
import { maximConverter, maximPackage, maximTasksFromArgs } from './tfjs-graph/maxim';
import { convertUpscalers } from './tfjs-layers';

const srcDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(srcDir, '..', '..', '..');
const outDir = join(repoRoot, 'public', 'models');

interface ConverterJob {
  readonly name: string;
  readonly family: ModelFamily;
  /** Folder under src/ holding the converter (hashed for the cache). */
  readonly folder: string;
  readonly packages: readonly string[];
  readonly convert: Converter;
}

const maximTasks = maximTasksFromArgs(process.argv);

const JOBS: readonly ConverterJob[] = [
  {
    name: 'upscalers',
    family: 'esrgan',
    folder: 'tfjs-layers',
    packages: ['@upscalerjs/esrgan-slim', '@upscalerjs/esrgan-medium', '@upscalerjs/esrgan-thick'],
    convert: convertUpscalers,
  },
  {
    name: 'anime4k',
    family: 'anime4k',
    folder: 'anime4k',
    packages: ['@websr/websr'],
    convert: convertAnime4k,
  },
  {
    name: 'isnet',
    family: 'isnet',
    folder: 'isnet',
    packages: ['@imgly/background-removal-data'],
    convert: convertIsnet,
  },
  { name: 'filters', family: 'filter', folder: 'filters', packages: [], convert: convertFilters },
  {
    name: 'maxim',
    family: 'maxim',
    folder: 'tfjs-graph',
    packages: maximTasks.map(maximPackage),
    convert: maximConverter(maximTasks),
  },
];

/** Code every converter's output depends on besides its own folder. */
const COMMON_SOURCES = [
  join(srcDir, 'onnx'),
  join(srcDir, 'manifest'),
  join(srcDir, 'build-context.ts'),
  join(repoRoot, 'packages', 'shared', 'src', 'models'),
  join(repoRoot, 'packages', 'shared', 'src', 'ops', 'params'),
];

interface JobResult {
  readonly name: string;
  readonly entries: ManifestEntry[];
  readonly ms: number;
  readonly status: 'built' | 'cached';
}

const hasCopyleft = (family: ConverterJob['family']) =>
  Object.values(MODELS).some((m) => m.family === family && !isPermissive(m.license));

async function writeAtomically(path: string, bytes: Uint8Array | string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

async function runJob(job: ConverterJob, ctx: BuildContext, cache: BuildCache): Promise<JobResult> {
  const started = performance.now();
  const key = await cacheKey({
    sourceDirs: [join(srcDir, job.folder), ...COMMON_SOURCES],
    packages: job.packages,
    // Only a family with copyleft models builds differently under --permissive-only.
    permissiveOnly: ctx.permissiveOnly && hasCopyleft(job.family),
  });
  const cached = cache[job.name];
  if (cached?.key === key && (await entriesStillValid(outDir, cached.entries))) {
    return {
      name: job.name,
      entries: cached.entries,
      ms: performance.now() - started,
      status: 'cached',
    };
  }
  const entries: ManifestEntry[] = [];
  for (const model of await job.convert(ctx)) {
    if (ctx.permissiveOnly && !isPermissive(MODELS[model.id].license)) continue;
    await writeAtomically(join(outDir, modelFileName(model.id)), model.onnx);
    entries.push(manifestEntry(model));
  }
  cache[job.name] = { key, entries };
  return { name: job.name, entries, ms: performance.now() - started, status: 'built' };
}

/** Model files left from earlier runs (e.g. ISNet before a --permissive-only build) are removed. */
async function removeStaleModels(keep: ReadonlySet<string>): Promise<string[]> {
  const stale = (await readdir(outDir)).filter(
    (f) => f.endsWith('.onnx') && isModelId(f.slice(0, -'.onnx'.length)) && !keep.has(f),
  );
  await Promise.all(stale.map((f) => rm(join(outDir, f))));
  return stale;
}

const formatBytes = (n: number) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`;

function printSummary(results: readonly JobResult[], totalMs: number): void {
  const rows = results.flatMap((r) =>
    r.entries.map((e) => ({
      model: e.id,
      size: formatBytes(e.bytes),
      license: e.license,
      sha256: e.sha256.slice(0, 12),
    })),
  );
  console.table(rows);
  for (const r of results)
    console.log(`${r.name.padEnd(10)} ${r.status.padEnd(7)} ${(r.ms / 1000).toFixed(1)} s`);
  const bytes = results.flatMap((r) => r.entries).reduce((sum, e) => sum + e.bytes, 0);
  console.log(
    `${rows.length} models, ${formatBytes(bytes)} in ${outDir}, ${(totalMs / 1000).toFixed(1)} s`,
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  const permissiveOnly = process.argv.includes('--permissive-only');
  await mkdir(outDir, { recursive: true });
  const ctx: BuildContext = { repoRoot, permissiveOnly, log: (m) => console.log(`  ${m}`) };
  const cache = await readCache(outDir);
  const results: JobResult[] = [];
  for (const job of JOBS) results.push(await runJob(job, ctx, cache));
  const models = results.flatMap((r) => r.entries).sort((a, b) => a.id.localeCompare(b.id));
  const manifest = ManifestSchema.parse({
    version: MANIFEST_VERSION,
    generatedAt: new Date().toISOString(),
    permissiveOnly,
    models,
  });
  await writeAtomically(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeCache(outDir, cache);
  const stale = await removeStaleModels(new Set(models.map((m) => m.file)));
  if (stale.length) console.log(`  removed ${stale.join(', ')}`);
  printSummary(results, performance.now() - started);
}

await main();
