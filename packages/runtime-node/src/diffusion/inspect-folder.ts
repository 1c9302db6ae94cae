import { open, readFile } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import type { DiffusionFolder, DiffusionPart } from '@loupe/shared';
import { classifyFolder, type FolderReading, type PartReading } from './classify';
import { FileHashCache, folderDigest, listFolderFiles, type FolderFile } from './folder-files';
import { LICENSE_FILE, MODEL_CARD_FILE, detectLicense } from './license';
import { readGraphSignature } from './onnx-signature';

export interface InspectOptions {
  /** Shared between scans so unchanged files are hashed once; a fresh one by default. */
  hashes?: FileHashCache;
}

/** A problem found while reading the folder: the folder is listed with it, nothing throws. */
class Unreadable extends Error {}

const REQUIRED = [
  'model_index.json',
  'scheduler/scheduler_config.json',
  'text_encoder/model.onnx',
  'unet/model.onnx',
  'vae_decoder/model.onnx',
] as const;
const GRAPH_PARTS = ['text_encoder', 'unet', 'vae_decoder', 'vae_encoder'] as const;
/** CLIP's tokenizer.json is ~3.6 MB; anything this large is not a config to parse in the HTTP process. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;
/** How much of a LICENSE or README is read to recognise its license. */
const LICENSE_READ_BYTES = 64 * 1024;

/**
 * What a user-supplied diffusers ONNX folder is: its capabilities and signatures read from
 * its graphs (headers only, never a session, so a multi-GB UNet costs milliseconds), its files'
 * sha256 (through `hashes`, so once per file state), and its license. A folder that does not
 * fit comes back `unusable` with the reason; this never throws.
 *
 * @example
 *   const folder = await inspectDiffusionFolder('/models/sd15');
 *   if (folder.status === 'ready') folder.capabilities; // ['text-to-image', 'img2img', …]
 */
export async function inspectDiffusionFolder(
  dir: string,
  options: InspectOptions = {},
): Promise<DiffusionFolder> {
  const id = basename(dir);
  try {
    const files = await listFolderFiles(dir);
    const reading = await readFolder(dir, files);
    const classified = classifyFolder(reading);
    if (!classified.ok) return { id, status: 'unusable', problem: classified.problem };
    const hashes = options.hashes ?? new FileHashCache();
    const hashed = [];
    // One file at a time: a scan of several GB should not saturate the disk for every request.
    for (const f of files)
      hashed.push({
        path: f.path,
        bytes: f.bytes,
        sha256: await hashes.sha256(join(dir, f.path), f.state),
      });
    return {
      id,
      status: 'ready',
      ...classified.info,
      bytes: files.reduce((n, f) => n + f.bytes, 0),
      sha256: folderDigest(hashed),
      files: hashed,
      license: detectLicense(await licenseTexts(dir, files)),
    };
  } catch (e) {
    const reason =
      e instanceof Unreadable ? e.message : `The folder could not be read: ${(e as Error).message}`;
    return { id, status: 'unusable', problem: reason };
  }
}

async function readFolder(dir: string, files: readonly FolderFile[]): Promise<FolderReading> {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const has = (path: string) => byPath.has(path);
  const tokenizerFormat =
    has('tokenizer/vocab.json') && has('tokenizer/merges.txt')
      ? 'vocab-merges'
      : has('tokenizer/tokenizer.json')
        ? 'tokenizer-json'
        : null;
  const missing: string[] = REQUIRED.filter((p) => !has(p));
  if (!tokenizerFormat)
    missing.push('tokenizer/vocab.json and merges.txt (or tokenizer/tokenizer.json)');
  if (!tokenizerFormat || missing.length)
    throw new Unreadable(`Not a diffusers ONNX folder: ${missing.join(', ')} missing`);

  const json = async (path: string) => {
    const size = byPath.get(path)?.bytes ?? 0;
    if (size > MAX_JSON_BYTES)
      throw new Unreadable(`${path} is ${size} bytes; a diffusers config is far smaller`);
    let value: unknown;
    try {
      value = JSON.parse(await readFile(join(dir, path), 'utf8'));
    } catch (e) {
      throw new Unreadable(`${path} is not valid JSON (${(e as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new Unreadable(`${path} is not a JSON object`);
    return value as Record<string, unknown>;
  };

  const tokenizerFiles = files.filter((f) => f.path.startsWith('tokenizer/')).map((f) => f.path);
  const vocab =
    tokenizerFormat === 'vocab-merges'
      ? await json('tokenizer/vocab.json')
      : (await json('tokenizer/tokenizer.json')).model;
  const vocabulary = (vocab as { vocab?: unknown } | undefined)?.vocab ?? vocab;
  if (typeof vocabulary !== 'object' || vocabulary === null || !('<|endoftext|>' in vocabulary))
    throw new Unreadable('The tokenizer has no <|endoftext|> token: not a CLIP tokenizer');
  const tokenizerConfig = has('tokenizer/tokenizer_config.json')
    ? await json('tokenizer/tokenizer_config.json')
    : {};
  const maxLength = tokenizerConfig.model_max_length;

  const partConfigs: FolderReading['partConfigs'] = {};
  for (const part of GRAPH_PARTS)
    if (has(`${part}/config.json`)) partConfigs[part] = await json(`${part}/config.json`);

  const parts: Partial<Record<DiffusionPart, PartReading>> = {};
  for (const part of GRAPH_PARTS) {
    const file = `${part}/model.onnx`;
    if (!has(file)) continue;
    parts[part] = await readPart(dir, file, byPath);
  }
  return {
    modelIndex: await json('model_index.json'),
    schedulerConfig: await json('scheduler/scheduler_config.json'),
    tokenizer: {
      format: tokenizerFormat,
      files: tokenizerFiles,
      maxLength:
        typeof maxLength === 'number' && maxLength > 0 && maxLength < 10_000 ? maxLength : null,
    },
    parts: {
      text_encoder: parts.text_encoder!,
      unet: parts.unet!,
      vae_decoder: parts.vae_decoder!,
      vae_encoder: parts.vae_encoder ?? null,
    },
    partConfigs,
  };
}

async function readPart(
  dir: string,
  file: string,
  byPath: ReadonlyMap<string, FolderFile>,
): Promise<PartReading> {
  let signature;
  try {
    signature = await readGraphSignature(join(dir, file));
  } catch (e) {
    throw new Unreadable(`${file} is not a readable ONNX model (${(e as Error).message})`);
  }
  let bytes = byPath.get(file)!.bytes;
  for (const location of signature.externalData) {
    const path = posix.normalize(posix.join(posix.dirname(file), location));
    if (path.startsWith('..') || posix.isAbsolute(location))
      throw new Unreadable(`${file} keeps weights in ${location}, outside the folder`);
    const data = byPath.get(path);
    if (!data) throw new Unreadable(`${file} keeps its weights in ${path}, which is missing`);
    bytes += data.bytes;
  }
  return { file, signature, bytes };
}

/** The first KB of the top-level LICENSE and README files. */
async function licenseTexts(
  dir: string,
  files: readonly FolderFile[],
): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const f of files) {
    if (f.path.includes('/') || !(LICENSE_FILE.test(f.path) || MODEL_CARD_FILE.test(f.path)))
      continue;
    const handle = await open(join(dir, f.path), 'r');
    try {
      const buffer = new Uint8Array(Math.min(f.bytes, LICENSE_READ_BYTES));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      texts.set(f.path, new TextDecoder().decode(buffer.subarray(0, bytesRead)));
    } finally {
      await handle.close();
    }
  }
  return texts;
}
