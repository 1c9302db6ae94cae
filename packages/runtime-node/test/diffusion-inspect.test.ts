import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DiffusionFolderSchema,
  UNKNOWN_LICENSE,
  type DiffusionFolder,
  type DiffusionPart,
} from '@loupe/shared';
import { createSession, releaseSession, sessionPorts } from '../src';
import {
  FileHashCache,
  detectLicense,
  inspectDiffusionFolder,
  readGraphSignature,
  scanDiffusionDirectory,
} from '../src/diffusion';
// The generator that writes the fixtures lives with the other model tools.
import {
  tinyPipelineFixtures,
  type TinyPipelineFixtures,
} from '../../../tools/models/src/diffusion/fixtures';
import { writePipelineFolder } from '../../../tools/models/src/diffusion/pipeline-folder';
import { GraphBuilder } from '../../../tools/models/src/onnx/graph-builder';
import {
  TINY_PIPELINE_IDS,
  TINY_PIPELINES,
  type TinyPipelineId,
} from '../../../tools/models/src/diffusion/tiny-pipelines';

const PARTS: readonly DiffusionPart[] = ['text_encoder', 'unet', 'vae_encoder', 'vae_decoder'];

/** The folder digest as the shell computes it: the oracle the schema's doc comment promises. */
const shellDigest = (dir: string) =>
  execFileSync(
    'sh',
    [
      '-c',
      "find . -mindepth 1 -name '.*' -prune -o -type f -printf '%P\\n' | LC_ALL=C sort | xargs -d '\\n' sha256sum | sha256sum",
    ],
    { cwd: dir, encoding: 'utf8' },
  ).split(' ')[0];

function ready(folder: DiffusionFolder) {
  if (folder.status !== 'ready') throw new Error(`${folder.id}: ${folder.problem}`);
  return folder;
}

describe('inspectDiffusionFolder on every generated layout', () => {
  let fixtures: TinyPipelineFixtures;
  beforeAll(() => {
    fixtures = tinyPipelineFixtures();
  });

  it.each(TINY_PIPELINE_IDS)('%s: detected from its graphs', async (id) => {
    const spec = TINY_PIPELINES[id];
    const folder = DiffusionFolderSchema.parse(await inspectDiffusionFolder(fixtures.path(id)));
    const info = ready(folder);
    const channels = spec.unet.inChannels;
    expect(info.id).toBe(id);
    expect(info.kind).toBe(
      { 4: 'stable-diffusion', 8: 'instruct-pix2pix', 9: 'inpainting' }[channels],
    );
    const imageIn = spec.vaeEncoder !== null;
    expect(info.capabilities).toEqual([
      ...{
        4: imageIn ? ['text-to-image', 'img2img', 'masked-img2img'] : ['text-to-image'],
        8: ['instruct'],
        9: ['inpaint'],
      }[channels]!,
      ...(spec.unet.timeCondDim ? ['lcm'] : []),
    ]);
    expect(info.exporter).toBe(spec.exporter);
    expect(info.dtype).toBe(spec.dtype);
    expect(info.unet).toEqual({
      inChannels: channels,
      timestep: {
        dtype: spec.timestep.dtype === 'int64' ? 'int64' : spec.dtype,
        shape: spec.timestep.shape,
      },
      timestepCondDim: spec.unet.timeCondDim,
      textHiddenSize: spec.text.hiddenSize,
    });
    expect(info.textEncoder).toEqual({
      inputIdsDtype: spec.inputIds,
      hiddenSize: spec.text.hiddenSize,
      maxTokens: 77,
    });
    expect(info.vaeEncoder).toEqual(spec.vaeEncoder ? { output: spec.vaeEncoder } : null);
    expect(info.latentChannels).toBe(4);
    expect(info.vaeScaleFactor).toBe(8);
    // optimum's unet/config.json says 8 latent pixels; the script's folders say nothing.
    expect(info.nativeSize).toEqual(
      spec.exporter === 'optimum'
        ? { width: 64, height: 64, source: 'unet-config' }
        : {
            width: spec.text.hiddenSize === 1024 ? 768 : 512,
            height: spec.text.hiddenSize === 1024 ? 768 : 512,
            source: 'default',
          },
    );
    expect(info.tokenizer.format).toBe(spec.tokenizer);
    expect(info.randomWeights).toBe(true);
    expect(info.license).toEqual(
      {
        'license-file': { id: 'MIT', name: 'MIT License', file: 'LICENSE' },
        'model-card': { id: 'MIT', name: 'MIT License', file: 'README.md' },
        none: { id: null, name: UNKNOWN_LICENSE, file: null },
      }[spec.license],
    );
    expect(info.sha256).toBe(shellDigest(fixtures.path(id)));
    expect(info.bytes).toBe(info.files.reduce((n, f) => n + f.bytes, 0));
    const dataFile = spec.exporter === 'optimum' ? 'model.onnx_data' : 'weights.pb';
    const external: readonly DiffusionPart[] = spec.externalData;
    const size = (rel: string) => statSync(join(fixtures.path(id), rel)).size;
    for (const part of PARTS) {
      const graph = info.parts[part];
      if (!graph) continue;
      const expected = external.includes(part) ? [`${part}/${dataFile}`] : [];
      expect(graph.externalData, part).toEqual(expected);
      expect(graph.bytes, part).toBe(size(graph.file) + expected.reduce((n, f) => n + size(f), 0));
    }
  });

  it.each(TINY_PIPELINE_IDS)(
    '%s: the header reader agrees with onnxruntime',
    async (id: TinyPipelineId) => {
      for (const part of PARTS) {
        if (part === 'vae_encoder' && TINY_PIPELINES[id].vaeEncoder === null) continue;
        const file = join(fixtures.path(id), part, 'model.onnx');
        const signature = await readGraphSignature(file);
        const session = await createSession(file);
        try {
          const ports = sessionPorts(session);
          const asOrt = (p: {
            name: string;
            dtype: string;
            dims: readonly (number | string)[];
          }) => ({
            name: p.name,
            type: p.dtype,
            dims: p.dims,
          });
          expect(signature.inputs.map(asOrt), part).toEqual(ports.inputs);
          expect(signature.outputs.map(asOrt), part).toEqual(ports.outputs);
        } finally {
          await releaseSession(session);
        }
      }
    },
  );
});

describe('folders that do not fit are listed with the reason', () => {
  let fixtures: TinyPipelineFixtures;
  let dir: string;
  beforeAll(() => {
    fixtures = tinyPipelineFixtures();
    dir = mkdtempSync(join(tmpdir(), 'loupe-diffusion-broken-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A copy of a generated pipeline, changed by `edit`. */
  const broken = async (name: string, from: TinyPipelineId, edit: (folder: string) => void) => {
    const folder = join(dir, name);
    cpSync(fixtures.path(from), folder, { recursive: true });
    edit(folder);
    const result = DiffusionFolderSchema.parse(await inspectDiffusionFolder(folder));
    expect(result.status).toBe('unusable');
    return result.status === 'unusable' ? result.problem : '';
  };

  it('a missing UNet', async () => {
    const problem = await broken('no-unet', 'optimum-fp32', (f) =>
      rmSync(join(f, 'unet'), { recursive: true }),
    );
    expect(problem).toBe('Not a diffusers ONNX folder: unet/model.onnx missing');
  });

  it('a UNet with channels no pipeline uses', async () => {
    const folder = join(dir, 'six-channels');
    const spec = TINY_PIPELINES['optimum-fp32'];
    writePipelineFolder(folder, { ...spec, unet: { ...spec.unet, inChannels: 6 } });
    const result = await inspectDiffusionFolder(folder);
    expect(result).toEqual({
      id: 'six-channels',
      status: 'unusable',
      problem:
        'The UNet takes 6-channel samples; Loupe knows 4 (text-to-image, img2img), 9 (inpainting) and 8 (InstructPix2Pix)',
    });
  });

  it('channels read from the first convolution when the sample dim is symbolic', async () => {
    // The script names the channel dim; a 6-channel UNet must still be told from its conv_in.
    const folder = join(dir, 'six-channels-script');
    const spec = TINY_PIPELINES['diffusers-script-fp32'];
    writePipelineFolder(folder, { ...spec, unet: { ...spec.unet, inChannels: 6 } });
    const result = await inspectDiffusionFolder(folder);
    expect(result.status === 'unusable' && result.problem).toContain('6-channel samples');
  });

  it('a UNet that needs inputs Loupe does not supply (SDXL)', async () => {
    const problem = await broken('sdxl-like', 'optimum-fp32', (f) => {
      const g = new GraphBuilder('unet');
      const sample = g.input('sample', ['batch_size', 4, 'height', 'width']);
      for (const [name, dims] of [
        ['timestep', []],
        ['encoder_hidden_states', ['batch_size', 77, 768]],
        ['text_embeds', ['batch_size', 1280]],
        ['time_ids', ['batch_size', 6]],
      ] as const)
        g.input(name, dims);
      g.output(sample, 'out_sample', ['batch_size', 4, 'height', 'width']);
      writeFileSync(join(f, 'unet', 'model.onnx'), g.toBytes());
    });
    expect(problem).toBe(
      'The UNet needs inputs Loupe does not supply: text_embeds, time_ids (an SDXL UNet)',
    );
  });

  it('corrupt and truncated graphs', async () => {
    const garbage = await broken('garbage-unet', 'optimum-fp32', (f) =>
      writeFileSync(join(f, 'unet', 'model.onnx'), Buffer.from('this is not an onnx file at all')),
    );
    expect(garbage).toMatch(/^unet\/model\.onnx is not a readable ONNX model \(/);
    const truncated = await broken('truncated-text-encoder', 'optimum-fp32', (f) => {
      const path = join(f, 'text_encoder', 'model.onnx');
      const bytes = readFileSync(path);
      writeFileSync(path, bytes.subarray(0, bytes.length >> 1));
    });
    expect(truncated).toMatch(/^text_encoder\/model\.onnx is not a readable ONNX model \(/);
  });

  it('external data that is missing', async () => {
    const problem = await broken('no-weights', 'diffusers-script-fp32', (f) =>
      rmSync(join(f, 'unet', 'weights.pb')),
    );
    expect(problem).toBe('unet/model.onnx keeps its weights in unet/weights.pb, which is missing');
  });

  it('parts from different models', async () => {
    const problem = await broken('mixed', 'optimum-fp32', (f) =>
      cpSync(join(fixtures.path('optimum-fp16'), 'text_encoder'), join(f, 'text_encoder'), {
        recursive: true,
      }),
    );
    // The fp16 folder's text encoder is 1024 wide; this UNet attends to 768.
    expect(problem).toContain('1024-wide states but the UNet attends to 768-wide ones');
  });

  it('an inpainting UNet without the VAE encoder it needs', async () => {
    const problem = await broken('inpaint-no-encoder', 'optimum-inpaint', (f) =>
      rmSync(join(f, 'vae_encoder'), { recursive: true }),
    );
    expect(problem).toBe(
      'A 9-channel (Stable Diffusion inpainting) UNet needs vae_encoder/model.onnx, which is missing',
    );
  });

  it('broken JSON, a tokenizer that is not CLIP’s, an empty folder', async () => {
    expect(
      await broken('bad-index', 'optimum-fp32', (f) =>
        writeFileSync(join(f, 'model_index.json'), '{"_class_name": '),
      ),
    ).toMatch(/^model_index\.json is not valid JSON/);
    expect(
      await broken('bad-vocab', 'optimum-fp32', (f) =>
        writeFileSync(join(f, 'tokenizer', 'vocab.json'), '{"a": 0}'),
      ),
    ).toBe('The tokenizer has no <|endoftext|> token: not a CLIP tokenizer');
    expect(
      await broken('flow-scheduler', 'optimum-fp32', (f) =>
        writeFileSync(
          join(f, 'scheduler', 'scheduler_config.json'),
          JSON.stringify({ _class_name: 'PNDMScheduler', prediction_type: 'flow' }),
        ),
      ),
    ).toMatch(/^scheduler\/scheduler_config\.json: prediction_type: /);
    mkdirSync(join(dir, 'empty'));
    const empty = await inspectDiffusionFolder(join(dir, 'empty'));
    expect(empty.status === 'unusable' && empty.problem).toBe(
      'Not a diffusers ONNX folder: model_index.json, scheduler/scheduler_config.json, text_encoder/model.onnx, unet/model.onnx, vae_decoder/model.onnx, tokenizer/vocab.json and merges.txt (or tokenizer/tokenizer.json) missing',
    );
  });
});

describe('scanDiffusionDirectory', () => {
  it('lists subfolders by name, ignores files and dot-folders, and never throws', async () => {
    const fixtures = tinyPipelineFixtures();
    const dir = mkdtempSync(join(tmpdir(), 'loupe-diffusion-scan-'));
    try {
      cpSync(fixtures.path('optimum-lcm'), join(dir, 'b-lcm'), { recursive: true });
      mkdirSync(join(dir, 'a-broken'));
      mkdirSync(join(dir, '.cache'));
      writeFileSync(join(dir, 'notes.txt'), 'not a folder');
      const catalog = await scanDiffusionDirectory(dir, new FileHashCache());
      expect(catalog.models.map((m) => [m.id, m.status])).toEqual([
        ['a-broken', 'unusable'],
        ['b-lcm', 'ready'],
      ]);
      expect(catalog.problem).toBeUndefined();
      const missing = await scanDiffusionDirectory(join(dir, 'nowhere'), new FileHashCache());
      expect(missing).toMatchObject({
        configured: true,
        models: [],
        problem: `LOUPE_DIFFUSION_DIR ${join(dir, 'nowhere')} does not exist`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hashes a file once per file state', async () => {
    const fixtures = tinyPipelineFixtures();
    const dir = mkdtempSync(join(tmpdir(), 'loupe-diffusion-hash-'));
    try {
      const folder = join(dir, 'sd');
      cpSync(fixtures.path('optimum-fp32'), folder, { recursive: true });
      const readme = join(folder, 'README.md');
      // Whole seconds, so setting the same time again gives the same state to the nanosecond.
      const when = new Date('2024-01-01T00:00:00Z');
      utimesSync(readme, when, when);
      const hashes = new FileHashCache();
      const first = ready(await inspectDiffusionFolder(folder, { hashes }));
      // Same size, same mtime, same inode, other bytes: the cache answers, the file is not read.
      const text = readFileSync(readme, 'utf8');
      writeFileSync(readme, text.replace('noise', 'NOISE'));
      utimesSync(readme, when, when);
      expect(ready(await inspectDiffusionFolder(folder, { hashes })).sha256).toBe(first.sha256);
      // A new mtime is a new state: hashed again, and the digest follows the bytes.
      utimesSync(readme, when, new Date(when.getTime() + 1000));
      const third = ready(await inspectDiffusionFolder(folder, { hashes }));
      expect(third.sha256).not.toBe(first.sha256);
      expect(third.sha256).toBe(shellDigest(folder));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('detectLicense', () => {
  const detect = (files: Record<string, string>) => detectLicense(new Map(Object.entries(files)));

  it('recognises license texts, model-card tags, and says when it knows nothing', () => {
    expect(
      detect({
        LICENSE:
          'Copyright (c) 2022 Robin Rombach\n\nCreativeML Open RAIL-M\ndated August 22, 2022',
      }),
    ).toEqual({
      id: 'creativeml-openrail-m',
      name: 'CreativeML Open RAIL-M',
      file: 'LICENSE',
    });
    expect(
      detect({
        'LICENSE.md':
          '                                 Apache License\n                           Version 2.0, January 2004',
      }),
    ).toMatchObject({ id: 'Apache-2.0' });
    expect(
      detect({ 'README.md': '---\nlicense: openrail++\ntags:\n- stable-diffusion\n---\n# SD 2' }),
    ).toEqual({
      id: 'openrail++',
      name: 'CreativeML Open RAIL++-M',
      file: 'README.md',
    });
    expect(
      detect({ 'README.md': '---\nlicense: other\nlicense_name: sai-nc-community\n---\n' }),
    ).toEqual({
      id: 'other',
      name: 'sai-nc-community',
      file: 'README.md',
    });
    // A LICENSE Loupe cannot name: its first line, so the user sees what it is.
    expect(detect({ LICENSE: '\nThe Frobnicator Model License v2\n...' })).toEqual({
      id: null,
      name: 'The Frobnicator Model License v2',
      file: 'LICENSE',
    });
    expect(detect({ 'README.md': '# A model\nNo front matter.' })).toEqual({
      id: null,
      name: UNKNOWN_LICENSE,
      file: null,
    });
    expect(detect({})).toEqual({ id: null, name: UNKNOWN_LICENSE, file: null });
  });
});
