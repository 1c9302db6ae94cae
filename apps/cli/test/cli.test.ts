import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportSchema, type RunReport } from '../src/batch/report';
import { startServer, pattern, type TestServer } from '../../server/test/support/server';
import { tinyPipelineFixtures } from '../../../tools/models/src/diffusion/fixtures';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'loupe.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real binary in its own process, as a script runs it (stdout a pipe: no bars). */
function loupe(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function report(run: Run): RunReport {
  const parsed = ReportSchema.parse(JSON.parse(run.stdout));
  if (!('files' in parsed)) throw new Error(`usage error: ${run.stdout}`);
  return parsed;
}

/** Every file below `dir`, as paths relative to it, sorted. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

const raw = (width: number, height: number) => ({
  raw: { width, height, channels: 4 as const },
});

let work: string;
let input: string;
let server: TestServer;
const fixtures = tinyPipelineFixtures();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'loupe-cli-'));
  input = join(work, 'in');
  mkdirSync(join(input, 'trip', 'day2'), { recursive: true });
  const good = await sharp(pattern(24, 16), raw(24, 16)).png().toBuffer();
  writeFileSync(join(input, 'a.png'), good);
  writeFileSync(
    join(input, 'trip', 'b.jpg'),
    await sharp(pattern(20, 12), raw(20, 12)).jpeg({ quality: 90 }).toBuffer(),
  );
  writeFileSync(
    join(input, 'trip', 'day2', 'c.png'),
    await sharp(pattern(9, 13), raw(9, 13)).png().toBuffer(),
  );
  writeFileSync(join(input, 'truncated.png'), good.subarray(0, good.length - 30));
  writeFileSync(join(input, 'trip', 'notes.png'), 'not a picture at all\n');
  writeFileSync(join(input, 'trip', 'day2', 'empty.png'), '');
  server = await startServer({ LOUPE_WORKERS: '1', LOUPE_DIFFUSION_DIR: fixtures.root });
});

afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

const VALID = ['a.png', 'trip/b.jpg', 'trip/day2/c.png'];
const BROKEN: Record<string, string> = {
  'truncated.png': 'IMAGE_CORRUPT',
  'trip/notes.png': 'UNSUPPORTED_MEDIA_TYPE',
  'trip/day2/empty.png': 'INVALID_REQUEST',
};

describe('loupe edit on a folder of valid and broken files', () => {
  it('edits the valid ones into a mirrored tree, names each broken one with its reason, exits 1', async () => {
    const out = join(work, 'gray');
    const run = await loupe('edit', input, '--op', 'grayscale', '-o', out, '--ep', 'cpu', '--json');
    expect(run.code, run.stderr).toBe(1);
    const r = report(run);
    expect(r).toMatchObject({
      command: 'edit',
      mode: 'in-process',
      done: 3,
      skipped: 0,
      failed: 3,
    });
    const failed = Object.fromEntries(
      r.files.filter((f) => f.status === 'failed').map((f) => [relative(input, f.input!), f.error]),
    );
    expect(Object.keys(failed).sort()).toEqual(Object.keys(BROKEN).sort());
    for (const [file, code] of Object.entries(BROKEN)) {
      expect(failed[file]?.code, file).toBe(code);
      expect(failed[file]?.message.length, file).toBeGreaterThan(10);
    }
    // Nothing partial: the valid outputs, whole, and no temp file or output of a broken input.
    expect(tree(out)).toEqual(VALID);
    for (const file of VALID) {
      const { data, info } = await sharp(join(out, file))
        .raw()
        .toBuffer({ resolveWithObject: true });
      for (let i = 0; i < data.length; i += info.channels) {
        expect(data[i + 1], file).toBe(data[i]);
        expect(data[i + 2], file).toBe(data[i]);
      }
    }
    expect((await sharp(join(out, 'trip/b.jpg')).metadata()).format).toBe('jpeg');
    // Grey is not what came in: the pattern's channels differ.
    const before = await sharp(join(input, 'a.png')).raw().toBuffer();
    expect(before.some((v, i) => i % 4 === 0 && v !== before[i + 2])).toBe(true);

    // A rerun finds the finished outputs and skips them; the broken files fail again.
    const again = await loupe(
      'edit',
      input,
      '--op',
      'grayscale',
      '-o',
      out,
      '--ep',
      'cpu',
      '--json',
    );
    expect(again.code).toBe(1);
    expect(report(again)).toMatchObject({ done: 0, skipped: 3, failed: 3 });
    expect(tree(out)).toEqual(VALID);
  });

  it('prints a summary a person reads when not --json', async () => {
    const out = join(work, 'summary');
    const run = await loupe(
      'edit',
      join(input, 'trip'),
      '--op',
      'invert',
      '-o',
      out,
      '--format',
      'webp',
      '--ep',
      'cpu',
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^2 done, 0 skipped \(already there\), 2 failed/);
    expect(run.stdout).toContain(`${join(input, 'trip', 'notes.png')}: `);
    expect(run.stdout).toContain('[UNSUPPORTED_MEDIA_TYPE]');
    expect(tree(out)).toEqual(['b.webp', 'day2/c.webp']);
  });
});

describe('a pipeline file, in-process and on a server', () => {
  it('runs both steps, and --server gives the same bytes as in-process', async () => {
    const pipeline = join(work, 'retouch.yaml');
    writeFileSync(
      pipeline,
      [
        '- op: adjust',
        '  params: { contrast: 0.3, saturation: -0.5 }',
        '- op: upscale',
        '  params:',
        '    scale: 2',
        '',
      ].join('\n'),
    );
    const local = join(work, 'local');
    const remote = join(work, 'remote');
    const inputs = VALID.map((f) => join(input, f));
    const [l, r] = [
      await loupe(
        'edit',
        ...inputs,
        '--pipeline',
        pipeline,
        '-o',
        local,
        '--format',
        'png',
        '--ep',
        'cpu',
        '--json',
      ),
      await loupe(
        'edit',
        ...inputs,
        '--pipeline',
        pipeline,
        '-o',
        remote,
        '--format',
        'png',
        '--server',
        server.base,
        '--json',
      ),
    ];
    expect(l.code, l.stderr).toBe(0);
    expect(r.code, r.stderr).toBe(0);
    expect(report(l)).toMatchObject({ mode: 'in-process', done: 3, failed: 0 });
    expect(report(r)).toMatchObject({ mode: 'server', done: 3, failed: 0 });
    const names = ['a.png', 'b.png', 'c.png'];
    expect(tree(local)).toEqual(names);
    expect(tree(remote)).toEqual(names);
    for (const name of names) {
      expect(readFileSync(join(remote, name)).equals(readFileSync(join(local, name))), name).toBe(
        true,
      );
    }
    // Upscaled 2× after the adjust: 24×16 → 48×32.
    const meta = await sharp(join(local, 'a.png')).metadata();
    expect([meta.width, meta.height]).toEqual([48, 32]);
  });

  it('erase with a folder of masks: only under each mask, the same bytes in-process and on the server; a missing mask fails its file', async () => {
    // Inputs named one by one sit at the top of the output (and of the masks' folder): masks for
    // a.png (24×16) and c.png (9×13), none for b.jpg. White = erase.
    const masks = join(work, 'masks');
    mkdirSync(masks, { recursive: true });
    const maskOf = (width: number, height: number, x0: number, x1: number) => {
      const rgba = Buffer.alloc(width * height * 4);
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const i = 4 * (y * width + x);
          rgba.fill(x >= x0 && x < x1 ? 255 : 0, i, i + 3);
          rgba[i + 3] = 255;
        }
      return sharp(rgba, raw(width, height)).png().toBuffer();
    };
    writeFileSync(join(masks, 'a.png'), await maskOf(24, 16, 8, 14));
    writeFileSync(join(masks, 'c.png'), await maskOf(9, 13, 3, 6));
    const inputs = VALID.map((f) => join(input, f));
    const run = (out: string, ...where: string[]) =>
      loupe(
        'edit',
        ...inputs,
        '--op',
        'erase',
        '--mask',
        masks,
        '-o',
        out,
        '--format',
        'png',
        '--json',
        ...where,
      );
    const [l, r] = [
      await run(join(work, 'erased-local'), '--ep', 'cpu'),
      await run(join(work, 'erased-remote'), '--server', server.base),
    ];
    for (const [mode, result] of [
      ['in-process', l],
      ['server', r],
    ] as const) {
      expect(result.code, result.stderr).toBe(1);
      const rep = report(result);
      expect(rep).toMatchObject({ mode, done: 2, failed: 1 });
      const failed = rep.files.find((f) => f.status === 'failed');
      expect(failed?.input).toBe(join(input, 'trip', 'b.jpg'));
      expect(JSON.stringify(failed)).toContain(join(masks, 'b.jpg'));
    }
    for (const [name, source] of [
      ['a.png', 'a.png'],
      ['c.png', 'trip/day2/c.png'],
    ] as const) {
      const local = readFileSync(join(work, 'erased-local', name));
      expect(readFileSync(join(work, 'erased-remote', name)).equals(local), name).toBe(true);
      // Outside the mask's columns every pixel is the input's; inside, some are not.
      const original = await sharp(join(input, source))
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const erased = await sharp(local).ensureAlpha().raw().toBuffer();
      const [x0, x1] = name === 'a.png' ? [8, 14] : [3, 6];
      let inside = 0;
      for (let p = 0; p < original.info.width * original.info.height; p++) {
        const x = p % original.info.width;
        const same = original.data
          .subarray(4 * p, 4 * p + 4)
          .equals(erased.subarray(4 * p, 4 * p + 4));
        if (x < x0 || x >= x1) expect(same, `${name} pixel ${p}`).toBe(true);
        else if (!same) inside++;
      }
      expect(inside, name).toBeGreaterThan(0);
    }
    const noMask = await loupe(
      'edit',
      inputs[0]!,
      '--op',
      'erase',
      '-o',
      join(work, 'x'),
      '--json',
    );
    expect(noMask.code).toBe(2);
    expect(noMask.stdout + noMask.stderr).toContain('--mask');
  });

  it('generate: each picture of --count from seed + k, the same bytes in-process and on the server', async () => {
    const args = [
      'generate',
      'a red fox',
      '--model',
      'optimum-fp32',
      '--seed',
      '41',
      '--steps',
      '2',
      '--count',
      '2',
      '--json',
    ];
    const local = join(work, 'gen-local');
    const remote = join(work, 'gen-remote');
    const l = await loupe(...args, '-o', local, '--diffusion', fixtures.root, '--ep', 'cpu');
    const r = await loupe(...args, '-o', remote, '--server', server.base);
    expect(l.code, l.stderr).toBe(0);
    expect(r.code, r.stderr).toBe(0);
    expect(report(l).files.map((f) => f.seed)).toEqual([41, 42]);
    const names = ['optimum-fp32-41.png', 'optimum-fp32-42.png'];
    expect(tree(local)).toEqual(names);
    for (const name of names)
      expect(readFileSync(join(remote, name)).equals(readFileSync(join(local, name))), name).toBe(
        true,
      );
    expect(readFileSync(join(local, names[0]!)).equals(readFileSync(join(local, names[1]!)))).toBe(
      false,
    );
  });
});

describe('usage errors exit 2, naming the field, before anything runs', () => {
  it.each([
    [['--op', 'upscal'], /unknown op 'upscal'/, '--op'],
    [['--op', 'upscale', '--param', 'scale=5'], /--param scale: /, '--param scale'],
    [['--op', 'upscale', '--concurrency', '0'], /--concurrency must be a whole number/, undefined],
    [['--op', 'upscale', '--format', 'tiff'], /--format/, undefined],
  ])('%j', async (flags, message, field) => {
    const out = join(work, 'never');
    const run = await loupe('edit', input, '-o', out, '--json', ...flags);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    const doc = ReportSchema.parse(JSON.parse(run.stdout));
    expect('usageError' in doc && doc.usageError.message).toMatch(message);
    if (field) expect('usageError' in doc && doc.usageError.field).toBe(field);
    expect(() => readdirSync(out)).toThrow();
  });

  it('a pipeline file with a bad step names the file and the step', async () => {
    const pipeline = join(work, 'bad.json');
    writeFileSync(
      pipeline,
      JSON.stringify({ steps: [{ op: 'invert' }, { op: 'blur', params: { radius: -1 } }] }),
    );
    const run = await loupe('edit', input, '-o', join(work, 'never'), '--pipeline', pipeline);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${pipeline}: steps.1.params.radius`);
  });
});
