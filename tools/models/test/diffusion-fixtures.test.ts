import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSession,
  releaseSession,
  runTypedSession,
  sessionPorts,
  type OrtSession,
  type TypedTensor,
} from '@loupe/runtime-node';
import { RANDOM_WEIGHTS_MARKER, clipTokenizer, type DiffusionPart } from '@loupe/shared';
import { tinyPipelineFixtures, type TinyPipelineFixtures } from '../src/diffusion/fixtures';
import { buildPart } from '../src/diffusion/part-graphs';
import { writePipelineFolder } from '../src/diffusion/pipeline-folder';
import { ZERO_WEIGHTS } from '../src/diffusion/random-weights';
import { sd15PipelineSpec } from '../src/diffusion/sd15-pipeline';
import {
  TINY_PIPELINE_IDS,
  TINY_PIPELINES,
  type TinyPipelineId,
} from '../src/diffusion/tiny-pipelines';
import { END_OF_TEXT, START_OF_TEXT, tinyVocabulary } from '../src/diffusion/tokenizer-files';
import type { PipelineSpec } from '../src/diffusion/pipeline-spec';
import { float16Bits, float16Value, fromFloat16Bits, toFloat16Bits } from '../src/onnx/float16';

describe('float16 conversion', () => {
  it('rounds to nearest even, keeps subnormals, saturates to infinity', () => {
    expect(float16Bits(1)).toBe(0x3c00);
    expect(float16Bits(-2)).toBe(0xc000);
    expect(float16Bits(0.1)).toBe(0x2e66);
    expect(float16Bits(65504)).toBe(0x7bff);
    expect(float16Bits(65520)).toBe(0x7c00);
    expect(float16Bits(2 ** -24)).toBe(0x0001);
    expect(float16Bits(2 ** -26)).toBe(0x0000);
    // 1 + 2^-11 is halfway between 1 and the next half: ties go to the even mantissa (1).
    expect(float16Bits(1 + 2 ** -11)).toBe(0x3c00);
    expect(float16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(float16Bits(NaN) & 0x7c00).toBe(0x7c00);
    expect(float16Value(0x3555)).toBeCloseTo(1 / 3, 3);
    expect(float16Value(0x0001)).toBe(2 ** -24);
    const values = Float32Array.from([0, 1.5, -3.25, 1000, 2 ** -20]);
    expect(Array.from(fromFloat16Bits(toFloat16Bits(values)))).toEqual(Array.from(values));
  });
});

const PARTS: readonly DiffusionPart[] = ['text_encoder', 'unet', 'vae_encoder', 'vae_decoder'];

function floats(spec: PipelineSpec, dims: number[], value: (i: number) => number): TypedTensor {
  const data = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => value(i));
  return spec.dtype === 'float16'
    ? { type: 'float16', data: toFloat16Bits(data), dims }
    : { type: 'float32', data, dims };
}

function asNumbers(t: TypedTensor): Float32Array {
  if (t.type === 'float16') return fromFloat16Bits(t.data);
  return Float32Array.from(t.data as ArrayLike<number>);
}

const maxDifference = (a: Float32Array, b: Float32Array) =>
  a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i]!)), 0);

function timestep(spec: PipelineSpec, batch: number, t: number): TypedTensor {
  const dims = { scalar: [], single: [1], batch: [batch] }[spec.timestep.shape];
  const count = dims.length ? dims[0]! : 1;
  if (spec.timestep.dtype === 'int64')
    return { type: 'int64', data: new BigInt64Array(count).fill(BigInt(t)), dims };
  return floats(spec, dims, () => t);
}

describe('tiny random-weight pipelines', () => {
  let fixtures: TinyPipelineFixtures;
  const sessions = new Map<string, OrtSession>();
  const session = async (id: TinyPipelineId, part: DiffusionPart) => {
    const key = `${id}/${part}`;
    let s = sessions.get(key);
    if (!s)
      sessions.set(key, (s = await createSession(join(fixtures.path(id), part, 'model.onnx'))));
    return s;
  };

  beforeAll(() => {
    fixtures = tinyPipelineFixtures();
  });
  afterAll(async () => {
    for (const s of sessions.values()) await releaseSession(s);
  });

  it.each(TINY_PIPELINE_IDS)('%s: a diffusers folder that says it holds random weights', (id) => {
    const spec = TINY_PIPELINES[id];
    const dir = fixtures.path(id);
    const index = JSON.parse(readFileSync(join(dir, 'model_index.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(index[RANDOM_WEIGHTS_MARKER]).toBe(true);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('It is not a model');
    const scheduler = JSON.parse(
      readFileSync(join(dir, 'scheduler', 'scheduler_config.json'), 'utf8'),
    ) as { _class_name: string };
    expect(scheduler._class_name).toMatch(/Scheduler$/);
    const tokenizerFiles = readdirSync(join(dir, 'tokenizer')).sort();
    expect(tokenizerFiles).toEqual(
      spec.tokenizer === 'vocab-merges'
        ? ['merges.txt', 'special_tokens_map.json', 'tokenizer_config.json', 'vocab.json']
        : ['special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json'],
    );
    for (const part of PARTS)
      expect(existsSync(join(dir, part, 'model.onnx')), part).toBe(
        part !== 'vae_encoder' || spec.vaeEncoder !== null,
      );
    expect(existsSync(join(dir, 'LICENSE'))).toBe(spec.license === 'license-file');
    expect(existsSync(join(dir, 'unet', 'config.json'))).toBe(spec.exporter === 'optimum');
    // "KBs to a few MB": the whole folder.
    expect(folderBytes(dir)).toBeLessThan(2 * 1024 * 1024);
  });

  it.each(TINY_PIPELINE_IDS)(
    '%s: the graphs declare the exporter’s names, types and dims',
    async (id) => {
      const spec = TINY_PIPELINES[id];
      const float = spec.dtype;
      const text = sessionPorts(await session(id, 'text_encoder'));
      expect(text.inputs).toEqual([
        { name: 'input_ids', type: spec.inputIds, dims: expect.any(Array) },
      ]);
      expect(text.outputs.map((o) => [o.name, o.type, o.dims.at(-1)])).toEqual([
        ['last_hidden_state', float, spec.text.hiddenSize],
        ['pooler_output', float, spec.text.hiddenSize],
      ]);
      const unet = sessionPorts(await session(id, 'unet'));
      expect(unet.inputs.map((i) => i.name)).toEqual([
        'sample',
        'timestep',
        'encoder_hidden_states',
        ...(spec.unet.timeCondDim ? ['timestep_cond'] : []),
      ]);
      const [sample, t] = unet.inputs;
      expect(sample!.dims[1]).toBe(spec.exporter === 'optimum' ? spec.unet.inChannels : 'channels');
      expect(t!.type).toBe(spec.timestep.dtype === 'int64' ? 'int64' : float);
      expect(unet.outputs.map((o) => o.name)).toEqual(['out_sample']);
      if (spec.vaeEncoder) {
        const encoder = sessionPorts(await session(id, 'vae_encoder'));
        expect(encoder.outputs.map((o) => [o.name, o.dims[1]])).toEqual([
          spec.vaeEncoder === 'latent-parameters' ? ['latent_parameters', 8] : ['latent_sample', 4],
        ]);
      }
      const decoder = sessionPorts(await session(id, 'vae_decoder'));
      expect(decoder.inputs.map((i) => i.name)).toEqual(['latent_sample']);
      expect(decoder.outputs.map((o) => [o.name, o.dims[1]])).toEqual([['sample', 3]]);
    },
  );

  it.each(TINY_PIPELINE_IDS)(
    '%s: the text encoder is causal and pools the end-of-text token',
    async (id) => {
      const spec = TINY_PIPELINES[id];
      const { startId, endId } = tinyVocabulary();
      const encode = async (third: number) => {
        const tokens = [startId, 40, 41, third, endId, ...new Array<number>(72).fill(endId)];
        const ids: TypedTensor =
          spec.inputIds === 'int32'
            ? { type: 'int32', data: Int32Array.from(tokens), dims: [1, 77] }
            : { type: 'int64', data: BigInt64Array.from(tokens.map(BigInt)), dims: [1, 77] };
        return runTypedSession(await session(id, 'text_encoder'), { input_ids: ids });
      };
      const out = await encode(42);
      const hidden = spec.text.hiddenSize;
      expect(out.last_hidden_state!.dims).toEqual([1, 77, hidden]);
      expect(out.pooler_output!.dims).toEqual([1, hidden]);
      const states = asNumbers(out.last_hidden_state!);
      // CLIP pools at the highest id's first position: the end-of-text token at 4.
      expect(Array.from(asNumbers(out.pooler_output!))).toEqual(
        Array.from(states.subarray(4 * hidden, 5 * hidden)),
      );
      // Another token at position 3 changes positions 3 and later, never the ones before it.
      const other = asNumbers((await encode(43)).last_hidden_state!);
      expect(Array.from(other.subarray(0, 3 * hidden))).toEqual(
        Array.from(states.subarray(0, 3 * hidden)),
      );
      expect(
        maxDifference(
          other.subarray(3 * hidden, 4 * hidden),
          states.subarray(3 * hidden, 4 * hidden),
        ),
      ).toBeGreaterThan(0);
    },
  );

  it.each(TINY_PIPELINE_IDS)('%s: every UNet input moves the noise prediction', async (id) => {
    const spec = TINY_PIPELINES[id];
    const unet = await session(id, 'unet');
    const batch = 2;
    const feeds = (change: Partial<Record<string, TypedTensor>> = {}) =>
      ({
        sample: floats(spec, [batch, spec.unet.inChannels, 8, 8], (i) => Math.sin(i)),
        timestep: timestep(spec, batch, 500),
        encoder_hidden_states: floats(spec, [batch, 77, spec.unet.crossAttentionDim], (i) =>
          Math.cos(i * 0.37),
        ),
        ...(spec.unet.timeCondDim
          ? { timestep_cond: floats(spec, [batch, spec.unet.timeCondDim], (i) => i / 256) }
          : {}),
        ...change,
      }) as Record<string, TypedTensor>;
    const run = async (change?: Partial<Record<string, TypedTensor>>) =>
      (await runTypedSession(unet, feeds(change))).out_sample!;
    const base = await run();
    expect(base.dims).toEqual([batch, 4, 8, 8]);
    const values = asNumbers(base);
    expect(values.every(Number.isFinite)).toBe(true);
    expect(maxDifference(values, new Float32Array(values.length))).toBeGreaterThan(0);

    const changes: Record<string, TypedTensor> = {
      sample: floats(spec, [batch, spec.unet.inChannels, 8, 8], (i) => Math.sin(i + 1)),
      timestep: timestep(spec, batch, 20),
      encoder_hidden_states: floats(spec, [batch, 77, spec.unet.crossAttentionDim], (i) =>
        Math.cos(i * 0.11),
      ),
      ...(spec.unet.timeCondDim
        ? { timestep_cond: floats(spec, [batch, spec.unet.timeCondDim], (i) => -i / 128) }
        : {}),
    };
    for (const [name, tensor] of Object.entries(changes))
      expect(maxDifference(asNumbers(await run({ [name]: tensor })), values), name).toBeGreaterThan(
        0,
      );
  });

  it.each(TINY_PIPELINE_IDS)(
    '%s: the VAE maps 64×64 pixels to 8×8 latents and back',
    async (id) => {
      const spec = TINY_PIPELINES[id];
      if (spec.vaeEncoder) {
        const image = floats(spec, [1, 3, 64, 64], (i) => Math.sin(i * 0.01));
        const out = await runTypedSession(await session(id, 'vae_encoder'), { sample: image });
        const [latent] = Object.values(out);
        expect(latent!.dims).toEqual([1, spec.vaeEncoder === 'latent-parameters' ? 8 : 4, 8, 8]);
        expect(asNumbers(latent!).every(Number.isFinite)).toBe(true);
      }
      const decoded = await runTypedSession(await session(id, 'vae_decoder'), {
        latent_sample: floats(spec, [1, 4, 8, 8], (i) => Math.cos(i)),
      });
      expect(decoded.sample!.dims).toEqual([1, 3, 64, 64]);
      expect(asNumbers(decoded.sample!).every(Number.isFinite)).toBe(true);
    },
  );

  it('puts external data beside the graph under each exporter’s file name', () => {
    const optimum = join(fixtures.path('optimum-external-data'), 'unet');
    const script = join(fixtures.path('diffusers-script-fp32'), 'unet');
    for (const [dir, file] of [
      [optimum, 'model.onnx_data'],
      [script, 'weights.pb'],
    ] as const) {
      expect(readdirSync(dir).sort()).toEqual(
        [file, 'model.onnx', ...(dir === optimum ? ['config.json'] : [])].sort(),
      );
      expect(statSync(join(dir, file)).size).toBeGreaterThan(
        4 * statSync(join(dir, 'model.onnx')).size,
      );
    }
  });
});

function folderBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true }))
    total += e.isDirectory() ? folderBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size;
  return total;
}

function folderDigest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, e.name);
      if (e.isDirectory()) walk(path);
      else out[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('the generator', () => {
  it('writes the same bytes for the same spec, and other bytes for another seed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loupe-diffusion-'));
    try {
      const spec = TINY_PIPELINES['diffusers-script-fp16'];
      writePipelineFolder(join(dir, 'a'), spec);
      writePipelineFolder(join(dir, 'b'), spec);
      writePipelineFolder(join(dir, 'c'), { ...spec, seed: spec.seed + 100 });
      const a = folderDigest(join(dir, 'a'));
      expect(folderDigest(join(dir, 'b'))).toEqual(a);
      const c = folderDigest(join(dir, 'c'));
      expect(c['unet/weights.pb']).not.toBe(a['unet/weights.pb']);
      expect(c['model_index.json']).toBe(a['model_index.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes a CLIP byte-level BPE vocabulary of a few hundred tokens, the same in both formats', () => {
    const { vocab, merges, startId, endId } = tinyVocabulary();
    const tokens = Object.keys(vocab);
    expect(tokens.length).toBeGreaterThan(512);
    expect(tokens.length).toBeLessThan(700);
    expect([vocab[START_OF_TEXT], vocab[END_OF_TEXT]]).toEqual([startId, endId]);
    expect(endId).toBe(tokens.length - 1);
    // As in CLIP: "!" is id 0, the 256 byte symbols then the same with </w>.
    expect(vocab['!']).toBe(0);
    expect(vocab['!</w>']).toBe(256);
    expect(vocab['Ġ']).toBeDefined();
    for (const merge of merges) {
      const [left, right] = merge.split(' ') as [string, string];
      const joined = vocab[left + right]!;
      expect(joined, merge).toBeGreaterThan(Math.max(vocab[left]!, vocab[right]!));
    }
    expect(vocab['photo</w>']).toBeGreaterThan(511);

    const fixtures = tinyPipelineFixtures();
    const asJson = JSON.parse(
      readFileSync(join(fixtures.path('optimum-fp16'), 'tokenizer', 'tokenizer.json'), 'utf8'),
    ) as { model: { vocab: unknown; merges: unknown }; added_tokens: { id: number }[] };
    const dir = join(fixtures.path('optimum-fp32'), 'tokenizer');
    expect(asJson.model.vocab).toEqual(JSON.parse(readFileSync(join(dir, 'vocab.json'), 'utf8')));
    const mergeLines = readFileSync(join(dir, 'merges.txt'), 'utf8').trimEnd().split('\n');
    expect(mergeLines[0]).toBe('#version: 0.2');
    expect(asJson.model.merges).toEqual(mergeLines.slice(1));
    expect(asJson.added_tokens.map((t) => t.id)).toEqual([startId, endId]);
  });

  it('both tokenizer formats encode a prompt to the same ids with the diffusion core’s tokenizer', () => {
    const fixtures = tinyPipelineFixtures();
    const read = (id: TinyPipelineId, file: string) =>
      readFileSync(join(fixtures.path(id), 'tokenizer', file), 'utf8');
    const pair = clipTokenizer({
      vocab: JSON.parse(read('optimum-fp32', 'vocab.json')),
      merges: read('optimum-fp32', 'merges.txt'),
      tokenizerConfig: JSON.parse(read('optimum-fp32', 'tokenizer_config.json')),
    });
    const single = clipTokenizer({
      tokenizerJson: JSON.parse(read('optimum-fp16', 'tokenizer.json')),
      tokenizerConfig: JSON.parse(read('optimum-fp16', 'tokenizer_config.json')),
    });
    const { vocab, startId, endId } = tinyVocabulary();
    const prompt = 'A photo of the CAT, riding a horse!';
    const ids = Array.from(pair.encode(prompt).ids);
    expect(Array.from(single.encode(prompt).ids)).toEqual(ids);
    const words = ['a', 'photo', 'of', 'the', 'cat'].map((w) => vocab[`${w}</w>`]!);
    expect(ids.slice(0, 6)).toEqual([startId, ...words]);
    // "," is one byte symbol; "riding", "a", "horse" are whole words; "!" ends the prompt.
    expect(ids.slice(6, 11)).toEqual([
      vocab[',</w>'],
      vocab['riding</w>'],
      vocab['a</w>'],
      vocab['horse</w>'],
      vocab['!</w>'],
    ]);
    expect(ids.slice(11)).toEqual(new Array(66).fill(endId));
  });

  it('gives the SD-1.5-shaped pipeline the real parameter counts', () => {
    // float32 only: float16 writes the same graphs (the tiny fp16 pipelines run them) and
    // converting a billion values would cost the suite seconds.
    let written = 0;
    const discard = {
      location: 'discard',
      threshold: 0,
      append: (bytes: Uint8Array) => (written += bytes.byteLength) - bytes.byteLength,
    };
    const spec = sd15PipelineSpec('float32');
    const count = (part: DiffusionPart) => buildPart(part, spec, ZERO_WEIGHTS, discard).parameters;
    expect(count('unet')).toBe(859_520_964);
    expect(count('vae_encoder') + count('vae_decoder')).toBe(83_653_863);
    expect(count('text_encoder')).toBe(123_060_480);
    // Every parameter went to the external file as float32, beside a few small constants
    // (shapes, the causal mask, timestep frequencies, the group-norm helpers).
    const parameterBytes = (859_520_964 + 83_653_863 + 123_060_480) * 4;
    expect(written).toBeGreaterThanOrEqual(parameterBytes);
    expect(written - parameterBytes).toBeLessThan(256 * 1024);
  });
});
