import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Tiny random-weight pipelines from the model tools' generator, written once per generator version.
import { tinyPipelineFixtures } from '../../../tools/models/src/diffusion/fixtures';
import { readPngText } from '@loupe/runtime-node/image-codec';
import { decodeRgba, png, startServer, type TestServer } from './support/server';

/**
 * A client written to the Stable Diffusion web UI's documented API (its /docs page and
 * modules/api/models.py), knowing nothing of Loupe: JSON in, base64 PNGs and an `info` JSON
 * string out, progress by polling. The tests below run it unmodified against Loupe.
 */
/** The answers of the documented routes, as that API's docs describe them (all fields seen here). */
interface Answer {
  images: string[];
  parameters: Record<string, unknown>;
  info: string;
  image: string;
  html_info: string;
  sd_model_checkpoint: string | null;
  error: { code: string; fields: { path: string }[] };
}
interface Progress {
  progress: number;
  eta_relative: number;
  state: {
    interrupted: boolean;
    job: string;
    job_count: number;
    sampling_step: number;
    sampling_steps: number;
  };
  current_image: string | null;
}

class SdWebUiClient {
  constructor(private readonly base: string) {}

  async post(path: string, body: unknown): Promise<{ status: number; json: Answer }> {
    const res = await fetch(`${this.base}/sdapi/v1/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Answer };
  }

  async get<T = Answer>(path: string): Promise<T> {
    const res = await fetch(`${this.base}/sdapi/v1/${path}`);
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  }

  txt2img(body: Record<string, unknown>) {
    return this.post('txt2img', body);
  }

  img2img(body: Record<string, unknown>) {
    return this.post('img2img', body);
  }

  progress(): Promise<Progress> {
    return this.get<Progress>('progress?skip_current_image=false');
  }
}

const pngOf = (b64: string) => Buffer.from(b64, 'base64');

/**
 * Issue #15, the SD web UI dialect: /sdapi/v1 over real HTTP against the real server and its
 * inference child, on the tiny pipelines (random weights: the pixels are noise, the plumbing
 * is real). One worker, so "the current job" is the one running.
 */
describe('the SD web UI API (/sdapi/v1)', () => {
  const fixtures = tinyPipelineFixtures();
  let server: TestServer;
  let sd: SdWebUiClient;

  beforeAll(async () => {
    server = await startServer({
      LOUPE_DIFFUSION_DIR: fixtures.root,
      LOUPE_WORKERS: '1',
      // An interrupted run must stop between steps on its own; the kill after the grace never comes.
      LOUPE_CANCEL_GRACE_S: '120',
    });
    sd = new SdWebUiClient(server.base);
  });
  afterAll(() => server.close());

  it('lists samplers, upscalers and the usable folders as checkpoints', async () => {
    const samplers = await sd.get<{ name: string }[]>('samplers');
    expect(samplers.map((s) => s.name)).toEqual(['Euler', 'Euler a', 'DPM++ 2M', 'DDIM', 'LCM']);
    const upscalers = await sd.get<{ name: string }[]>('upscalers');
    expect(upscalers.map((u) => u.name)).toEqual(
      expect.arrayContaining(['None', 'Lanczos', 'ESRGAN slim', 'ESRGAN thick']),
    );
    const models = (await sd.get('sd-models')) as unknown as {
      title: string;
      model_name: string;
      sha256: string;
    }[];
    const fp32 = models.find((m) => m.model_name === 'optimum-fp32')!;
    // A test pipeline says so where clients show it, and the title still selects it.
    expect(fp32.title).toBe(
      `optimum-fp32 (random weights: makes noise) [${fp32.sha256.slice(0, 10)}]`,
    );
    const chosen = await fetch(`${server.base}/sdapi/v1/options`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sd_model_checkpoint: fp32.title }),
    });
    expect(chosen.status).toBe(200);
    const options = (await (await fetch(`${server.base}/sdapi/v1/options`)).json()) as {
      sd_model_checkpoint: string;
    };
    expect(options.sd_model_checkpoint).toBe(fp32.title);
    // Folders the server could not use are not checkpoints.
    const api = (await (await fetch(`${server.base}/api/models`)).json()) as {
      diffusion: { models: { id: string; status: string }[] };
    };
    const ready = api.diffusion.models.filter((m) => m.status === 'ready').map((m) => m.id);
    expect(models.map((m) => m.model_name).sort()).toEqual(ready.sort());
  });

  it('txt2img: a fixed seed gives the same PNG twice; info says what ran and what was ignored', async () => {
    const body = {
      prompt: 'a lighthouse at dusk',
      negative_prompt: 'blurry',
      seed: 1234,
      sampler_name: 'DPM++ 2M Karras',
      steps: 4,
      cfg_scale: 6.5,
      width: 64,
      height: 64,
      restore_faces: false,
      enable_hr: false,
      override_settings: { sd_model_checkpoint: 'optimum-fp32', CLIP_stop_at_last_layers: 2 },
      some_future_field: { a: 1 },
    };
    const a = await sd.txt2img(body);
    expect(a.status, JSON.stringify(a.json)).toBe(200);
    const b = await sd.txt2img(body);
    expect(a.json.images).toHaveLength(1);
    expect(b.json.images).toEqual(a.json.images);
    const first = await decodeRgba(pngOf(a.json.images[0]!));
    expect([first.width, first.height]).toEqual([64, 64]);
    const info = JSON.parse(a.json.info);
    expect(info).toMatchObject({
      prompt: 'a lighthouse at dusk',
      negative_prompt: 'blurry',
      seed: 1234,
      sampler_name: 'DPM++ 2M Karras',
      steps: 4,
      cfg_scale: 6.5,
      width: 64,
      height: 64,
      sd_model_name: 'optimum-fp32',
      sd_model_title: expect.stringMatching(/^optimum-fp32 \(random weights: makes noise\) \[/),
    });
    expect(info.all_seeds).toEqual([1234]);
    expect(info.infotexts[0]).toContain('Seed: 1234');
    expect(info.ignored_fields).toEqual([
      'restore_faces',
      'enable_hr',
      'some_future_field',
      'override_settings.CLIP_stop_at_last_layers',
    ]);
    expect(a.json.parameters.prompt).toBe('a lighthouse at dusk');
  });

  it('txt2img batch_size × n_iter: every picture, seeds seed, seed + 1, …, each PNG with its own infotext', async () => {
    const res = await sd.txt2img({
      prompt: 'two boats',
      seed: 50,
      steps: 2,
      width: 64,
      height: 64,
      batch_size: 2,
      n_iter: 2,
      override_settings: { sd_model_checkpoint: 'optimum-fp32' },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.images).toHaveLength(4);
    expect(new Set(res.json.images).size).toBe(4);
    const info = JSON.parse(res.json.info);
    expect(info.all_seeds).toEqual([50, 51, 52, 53]);
    const texts = await Promise.all(res.json.images.map((b) => readPngText(pngOf(b))));
    expect(texts.map((t) => t.texts.find((c) => c.keyword === 'parameters')?.text)).toEqual(
      info.infotexts,
    );
  });

  it('refuses bad values with a 400 that names the SD field', async () => {
    for (const [body, field] of [
      [{ prompt: 'x', cfg_scale: 31 }, 'cfg_scale'],
      [{ prompt: 'x', sampler_name: 'UniPC' }, 'sampler_name'],
      [{ prompt: 'x', width: 100 }, 'width'],
      [{ prompt: 'x', batch_size: 4, n_iter: 3 }, 'batch_size'],
      [
        { prompt: 'x', override_settings: { sd_model_checkpoint: 'nope' } },
        'override_settings.sd_model_checkpoint',
      ],
    ] as const) {
      const res = await sd.txt2img(body);
      expect(res.status, field).toBe(400);
      const fields = (res.json.error.fields as { path: string }[]).map((f) =>
        f.path.replace(/^body\./, ''),
      );
      expect(fields, field).toContain(field);
    }
  });

  it('img2img with a mask is an inpaint: outside the mask every pixel is the input', async () => {
    const [w, h] = [64, 48];
    const input = await png(w, h);
    // White on the left half: repaint it; keep the right half.
    const maskRgba = Buffer.alloc(w * h * 4, 255);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        if (x >= w / 2) maskRgba.fill(0, 4 * (y * w + x), 4 * (y * w + x) + 3);
    const mask = await png(w, h, maskRgba);
    const res = await sd.img2img({
      init_images: [`data:image/png;base64,${input.toString('base64')}`],
      mask: mask.toString('base64'),
      mask_blur: 2,
      denoising_strength: 1,
      prompt: 'grass',
      steps: 2,
      seed: 4,
      override_settings: { sd_model_checkpoint: 'optimum-inpaint' },
      inpaint_full_res: false,
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const out = await decodeRgba(pngOf(res.json.images[0]!));
    const original = await decodeRgba(input);
    let changedLeft = 0;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const i = 4 * (y * w + x);
        const same = [0, 1, 2, 3].every((c) => out.data[i + c] === original.data[i + c]);
        if (x >= w / 2 + 6) expect(same, `${x},${y}`).toBe(true);
        if (x < w / 2 - 6 && !same) changedLeft++;
      }
    expect(changedLeft).toBeGreaterThan(((w / 2 - 6) * h) / 2);
    const info = JSON.parse(res.json.info);
    expect(info.loupe.op).toBe('inpaint');
    expect(info.ignored_fields).toEqual(['inpaint_full_res']);

    // inpainting_mask_invert repaints the black half instead.
    const inverted = await sd.img2img({
      init_images: [input.toString('base64')],
      mask: mask.toString('base64'),
      inpainting_mask_invert: 1,
      mask_blur: 2,
      denoising_strength: 1,
      prompt: 'grass',
      steps: 2,
      seed: 4,
      override_settings: { sd_model_checkpoint: 'optimum-inpaint' },
    });
    const flipped = await decodeRgba(pngOf(inverted.json.images[0]!));
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w / 2 - 6; x++) {
        const i = 4 * (y * w + x);
        expect([0, 1, 2, 3].every((c) => flipped.data[i + c] === original.data[i + c])).toBe(true);
      }
  });

  it('img2img without a mask on a text-to-image model: the picture keeps its size', async () => {
    const input = await png(80, 64);
    const res = await sd.img2img({
      init_images: [input.toString('base64')],
      prompt: 'autumn',
      denoising_strength: 0.5,
      steps: 4,
      seed: 9,
      width: 512,
      override_settings: { sd_model_checkpoint: 'optimum-fp32' },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const out = await decodeRgba(pngOf(res.json.images[0]!));
    expect([out.width, out.height]).toEqual([80, 64]);
    const info = JSON.parse(res.json.info);
    expect(info.loupe.op).toBe('img2img');
    expect(info.denoising_strength).toBe(0.5);
    expect(info.ignored_fields).toContain('width');
  });

  it('progress polling sees the step and a current_image during a run; interrupt ends it with no images', async () => {
    // Long by construction: 150 steps at 512² on one worker.
    const body = {
      prompt: 'a long run',
      steps: 150,
      width: 512,
      height: 512,
      seed: 5,
      override_settings: { sd_model_checkpoint: 'optimum-fp32' },
    };
    const running = sd.txt2img(body);
    let settled = false;
    void running.finally(() => (settled = true));
    let seen: Progress | undefined;
    while (!settled) {
      const p = await sd.progress();
      if (p.state.sampling_step > 0 && p.current_image) {
        seen = p;
        break;
      }
    }
    if (!seen) throw new Error('no poll during the run saw a step and a preview');
    expect(seen.progress).toBeGreaterThan(0);
    expect(seen.progress).toBeLessThan(1);
    expect(seen.state.sampling_steps).toBe(150);
    expect(seen.state.job_count).toBe(1);
    const preview = await sharp(pngOf(seen.current_image!)).metadata();
    expect(preview.width).toBeGreaterThan(0);

    expect((await sd.post('interrupt', {})).status).toBe(200);
    const answer = await running;
    expect(answer.status).toBe(200);
    expect(answer.json.images).toEqual([]);
    expect(JSON.parse(answer.json.info).interrupted).toBe(true);
    const after = await sd.progress();
    expect(after.progress).toBe(0);
    expect(after.state.interrupted).toBe(true);
    expect(after.current_image).toBeNull();
    // The one worker is free again: the next request runs, not queued behind a stray job.
    const next = await sd.txt2img({ ...body, steps: 1, width: 64, height: 64 });
    expect(next.status).toBe(200);
    expect(next.json.images).toHaveLength(1);
  });

  it('extra-single-image upscales with ESRGAN and refuses an upscaler Loupe has not', async () => {
    const input = await png(24, 16);
    const res = await sd.post('extra-single-image', {
      image: input.toString('base64'),
      upscaler_1: 'ESRGAN slim',
      upscaling_resize: 2,
      gfpgan_visibility: 0,
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const out = await decodeRgba(pngOf(res.json.image));
    expect([out.width, out.height]).toEqual([48, 32]);
    expect(res.json.html_info).toContain('gfpgan_visibility');
    const bad = await sd.post('extra-single-image', {
      image: input.toString('base64'),
      upscaler_1: 'R-ESRGAN 4x+',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields[0]!.path).toBe('upscaler_1');
  });

  it('options: the checkpoint set there is the one later requests run', async () => {
    expect((await sd.post('options', { sd_model_checkpoint: 'optimum-lcm' })).status).toBe(200);
    expect((await sd.get('options')).sd_model_checkpoint).toMatch(
      /^optimum-lcm \(random weights: makes noise\) \[/,
    );
    const res = await sd.txt2img({ prompt: 'x', steps: 2, seed: 1, sampler_name: 'LCM' });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(JSON.parse(res.json.info).sd_model_name).toBe('optimum-lcm');
    expect((await sd.post('options', { sd_model_checkpoint: 'nope' })).status).toBe(400);
  });
});
