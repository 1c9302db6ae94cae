import { Tokenizer } from '@huggingface/tokenizers';
import { z } from 'zod';
import { LoupeError } from '../api/loupe-error';
import { clipTokenizerJson, parseMerges } from './clip-tokenizer-json';

/** CLIP's text encoders read exactly this many ids: start, up to 75 prompt tokens, end, padding. */
export const CLIP_CONTEXT_LENGTH = 77;

/**
 * A model folder's `tokenizer/` files, as contents (no file access here, so the same code runs in
 * the browser worker): `tokenizer.json`, or the `vocab.json` + `merges.txt` pair that SD exports
 * ship; `tokenizer_config.json` and `special_tokens_map.json` when present.
 */
export interface ClipTokenizerFiles {
  tokenizerJson?: unknown;
  vocab?: unknown;
  merges?: string;
  tokenizerConfig?: unknown;
  specialTokensMap?: unknown;
}

export interface PromptTokens {
  /** `CLIP_CONTEXT_LENGTH` ids: start, prompt, end, then the model's padding id. */
  ids: Int32Array;
  /** Prompt tokens past the context that were cut off (0 when it fits). */
  droppedTokens: number;
}

export interface ClipTokenizer {
  readonly bosId: number;
  readonly eosId: number;
  /** 49407 (the end token) for SD 1.x, 0 ("!") for SD 2.x: whatever the folder's config names. */
  readonly padId: number;
  encode(prompt: string): PromptTokens;
}

const SpecialToken = z.union([z.string(), z.looseObject({ content: z.string() })]).nullish();
const SpecialTokensSchema = z.looseObject({
  bos_token: SpecialToken,
  eos_token: SpecialToken,
  pad_token: SpecialToken,
  unk_token: SpecialToken,
});
const VocabSchema = z.record(z.string(), z.number().int().min(0));
const TokenizerJsonSchema = z.looseObject({
  model: z.looseObject({ vocab: z.unknown() }),
  added_tokens: z.array(z.looseObject({ id: z.number().int(), content: z.string() })).default([]),
});

type SpecialName = 'bos_token' | 'eos_token' | 'pad_token' | 'unk_token';
const CLIP_DEFAULTS: Record<SpecialName, string | null> = {
  bos_token: '<|startoftext|>',
  eos_token: '<|endoftext|>',
  // No pad named: CLIP pads with its end token.
  pad_token: null,
  unk_token: '<|endoftext|>',
};

const unusable = (message: string) => new LoupeError('MODEL_UNAVAILABLE', `tokenizer: ${message}`);

function parse<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw unusable(`${file} is not valid: ${r.error.issues[0]?.message ?? 'bad shape'}`);
  return r.data;
}

/** Special-token names: tokenizer_config.json first, then special_tokens_map.json, then CLIP's. */
function specialNames(files: ClipTokenizerFiles): Record<SpecialName, string | null> {
  const config =
    files.tokenizerConfig === undefined
      ? {}
      : parse(SpecialTokensSchema, files.tokenizerConfig, 'tokenizer_config.json');
  const map =
    files.specialTokensMap === undefined
      ? {}
      : parse(SpecialTokensSchema, files.specialTokensMap, 'special_tokens_map.json');
  const name = (key: SpecialName) => {
    const t = config[key] ?? map[key];
    return t == null ? CLIP_DEFAULTS[key] : typeof t === 'string' ? t : t.content;
  };
  return {
    bos_token: name('bos_token'),
    eos_token: name('eos_token'),
    pad_token: name('pad_token'),
    unk_token: name('unk_token'),
  };
}

function lookup(
  names: Record<SpecialName, string | null>,
  idOf: (token: string) => number | undefined,
) {
  const id = (key: SpecialName) => {
    const token = names[key]!;
    const found = idOf(token);
    if (found === undefined) throw unusable(`${key} "${token}" is not in the vocabulary`);
    return { content: token, id: found };
  };
  const bos = id('bos_token');
  const eos = id('eos_token');
  return { bos, eos, pad: names.pad_token === null ? eos : id('pad_token') };
}

function libraryTokenizer(files: ClipTokenizerFiles, names: Record<SpecialName, string | null>) {
  if (files.tokenizerJson !== undefined) {
    const json = parse(TokenizerJsonSchema, files.tokenizerJson, 'tokenizer.json');
    // The library insists on these keys; HF writes null for the absent ones.
    const full = {
      normalizer: null,
      pre_tokenizer: null,
      post_processor: null,
      decoder: null,
      ...json,
    };
    return new Tokenizer(full, {});
  }
  if (files.vocab === undefined || files.merges === undefined)
    throw unusable('needs tokenizer.json, or vocab.json and merges.txt');
  const vocab = parse(VocabSchema, files.vocab, 'vocab.json');
  const { bos, eos } = lookup(names, (t) => vocab[t]);
  const unk = names.unk_token ?? eos.content;
  return new Tokenizer(clipTokenizerJson(vocab, parseMerges(files.merges), { bos, eos, unk }), {});
}

/**
 * A CLIP tokenizer for a model folder, on the tokenizers library (@huggingface/tokenizers, the one
 * transformers.js uses). Encodes as diffusers calls CLIPTokenizer (padding "max_length", 77,
 * truncation): start, the first 75 prompt tokens, end, padding.
 *
 * @example clipTokenizer({ vocab, merges }).encode('a photo of a cat')
 *   // { ids: [49406, 320, 1125, 539, 320, 2368, 49407, 49407, …], droppedTokens: 0 }
 */
export function clipTokenizer(files: ClipTokenizerFiles): ClipTokenizer {
  const names = specialNames(files);
  const tokenizer = libraryTokenizer(files, names);
  const { bos, eos, pad } = lookup(names, (t) => tokenizer.token_to_id(t));
  const room = CLIP_CONTEXT_LENGTH - 2;
  return {
    bosId: bos.id,
    eosId: eos.id,
    padId: pad.id,
    encode(prompt) {
      const content = tokenizer.encode(prompt, { add_special_tokens: false }).ids;
      const kept = content.slice(0, room);
      const ids = new Int32Array(CLIP_CONTEXT_LENGTH).fill(pad.id);
      ids.set([bos.id, ...kept, eos.id]);
      return { ids, droppedTokens: content.length - kept.length };
    },
  };
}
