import { CLIP_CONTEXT_LENGTH, type ClipTokenizer } from '@loupe/shared';

/** A prompt's length against CLIP's context, counted exactly or estimated. */
export interface TokenCount {
  /** Tokens the text encoder reads, start and end included (at most 77 are read). */
  readonly tokens: number;
  /** Prompt tokens past the context, which the text encoder never sees. */
  readonly dropped: number;
  /** True when counted by the model's own tokenizer; false for the estimate. */
  readonly exact: boolean;
}

/** Start and end of text: every CLIP prompt has both around its own tokens. */
const SPECIAL_TOKENS = 2;
const ROOM = CLIP_CONTEXT_LENGTH - SPECIAL_TOKENS;

/**
 * The prompt counted by the folder's tokenizer, exactly as the run will encode it.
 *
 * @example countTokens(tokenizer, 'a photo of a cat') // { tokens: 7, dropped: 0, exact: true }
 */
export function countTokens(tokenizer: ClipTokenizer, prompt: string): TokenCount {
  const { ids, droppedTokens } = tokenizer.encode(prompt);
  const end = ids.indexOf(tokenizer.eosId, 1);
  const kept = (end < 0 ? CLIP_CONTEXT_LENGTH - 1 : end) - 1;
  return { tokens: kept + droppedTokens + SPECIAL_TOKENS, dropped: droppedTokens, exact: true };
}

// CLIP's BPE keeps common words whole and splits punctuation off; longer and rarer words
// become several pieces, which this roughly allows for.
const WORD = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;
const CHARS_PER_PIECE = 7;

/**
 * An estimate for when the model's tokenizer cannot be read: one token per word or
 * punctuation mark, more for long words. Shown labelled as an estimate.
 *
 * @example estimateTokens('a red fox, in snow') // { tokens: 8, dropped: 0, exact: false }
 */
export function estimateTokens(prompt: string): TokenCount {
  let pieces = 0;
  for (const [word] of prompt.matchAll(WORD)) pieces += Math.ceil(word.length / CHARS_PER_PIECE);
  return { tokens: pieces + SPECIAL_TOKENS, dropped: Math.max(0, pieces - ROOM), exact: false };
}
