import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DEFAULT_VAE_SCALING_FACTOR,
  LoupeError,
  SchedulerConfigSchema,
  type ClipTokenizerFiles,
  type DiffusionAssets,
  type DiffusionModelInfo,
} from '@loupe/shared';

const unusable = (info: DiffusionModelInfo, message: string) =>
  new LoupeError('MODEL_UNAVAILABLE', `${info.id}: ${message}`);

async function readJson(dir: string, path: string, info: DiffusionModelInfo): Promise<unknown> {
  try {
    return JSON.parse(await readFile(join(dir, path), 'utf8'));
  } catch (e) {
    throw unusable(info, `${path} could not be read (${(e as Error).message})`);
  }
}

/**
 * What the shared engine needs from a folder besides its graphs (`DiffusionAssets`): the
 * scheduler config, the tokenizer files and the VAE's scaling factor, read from `dir` for the
 * folder `info` describes (as `inspectDiffusionFolder` found it). Read once per folder and
 * handed to `executePipeline` as `diffusionAssets`.
 *
 * @example const assets = await readDiffusionAssets(join(diffusionDir, info.id), info);
 *   await executeStep(null, step, { runner, diffusionAssets: () => assets });
 */
export async function readDiffusionAssets(
  dir: string,
  info: DiffusionModelInfo,
): Promise<DiffusionAssets> {
  const scheduler = SchedulerConfigSchema.safeParse(
    await readJson(dir, 'scheduler/scheduler_config.json', info),
  );
  if (!scheduler.success)
    throw unusable(info, `scheduler_config.json: ${scheduler.error.issues[0]?.message}`);
  const optional = async (path: string) =>
    existsSync(join(dir, path)) ? readJson(dir, path, info) : undefined;
  const tokenizer: ClipTokenizerFiles =
    info.tokenizer.format === 'tokenizer-json'
      ? { tokenizerJson: await readJson(dir, 'tokenizer/tokenizer.json', info) }
      : {
          vocab: await readJson(dir, 'tokenizer/vocab.json', info),
          merges: await readFile(join(dir, 'tokenizer/merges.txt'), 'utf8'),
        };
  const tokenizerConfig = await optional('tokenizer/tokenizer_config.json');
  const specialTokensMap = await optional('tokenizer/special_tokens_map.json');
  if (tokenizerConfig !== undefined) tokenizer.tokenizerConfig = tokenizerConfig;
  if (specialTokensMap !== undefined) tokenizer.specialTokensMap = specialTokensMap;
  return {
    info,
    schedulerConfig: scheduler.data,
    tokenizer,
    vaeScalingFactor: await scalingFactor(dir, info),
  };
}

/** diffusers keeps it in the VAE's config.json; the older script writes none (SD's default). */
async function scalingFactor(dir: string, info: DiffusionModelInfo): Promise<number> {
  for (const part of ['vae_decoder', 'vae_encoder']) {
    const path = `${part}/config.json`;
    if (!existsSync(join(dir, path))) continue;
    const factor = ((await readJson(dir, path, info)) as { scaling_factor?: unknown })
      .scaling_factor;
    if (typeof factor === 'number' && factor > 0 && Number.isFinite(factor)) return factor;
  }
  return DEFAULT_VAE_SCALING_FACTOR;
}
