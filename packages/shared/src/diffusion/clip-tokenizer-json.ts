/**
 * CLIP's pre-tokenizer pattern (openai/CLIP simple_tokenizer.py, without its special-token
 * alternatives, which the tokenizer matches as added tokens): contractions, letter runs, single
 * digits, runs of anything else; whitespace is dropped.
 */
export const CLIP_PRETOKENIZE_PATTERN =
  "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

/**
 * HF's CLIPTokenizer reads at most this many merges (49152 − 256 − 2), whatever merges.txt holds;
 * CLIP's own file has exactly that many.
 */
const CLIP_MAX_MERGES = 49152 - 256 - 2;

export interface ClipSpecialTokens {
  bos: { content: string; id: number };
  eos: { content: string; id: number };
  /** What a piece missing from the vocab becomes; CLIP's is the end token. */
  unk: string;
}

/** merges.txt lines "a b", without the "#version" header and blank lines, capped as HF caps them. */
export function parseMerges(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const body = lines[0]?.startsWith('#version') ? lines.slice(1) : lines;
  return body.filter((line) => line.trim() !== '').slice(0, CLIP_MAX_MERGES);
}

/**
 * The tokenizer.json that HF's converter (transformers' CLIPConverter) writes for a CLIP
 * vocab.json + merges.txt pair, built in memory so one tokenizer library reads both forms:
 * NFC, whitespace runs to one space, lowercase; CLIP's split, then byte-level characters (the
 * split already did ByteLevel's regex work, so it only maps bytes); BPE with "</w>" ending each
 * word.
 */
export function clipTokenizerJson(
  vocab: Readonly<Record<string, number>>,
  merges: readonly string[],
  special: ClipSpecialTokens,
): Record<string, unknown> {
  const added = (t: { content: string; id: number }) => ({
    id: t.id,
    content: t.content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: true,
    special: true,
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [added(special.bos), added(special.eos)],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'NFC' },
        { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' },
        { type: 'Lowercase' },
      ],
    },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        {
          type: 'Split',
          pattern: { Regex: CLIP_PRETOKENIZE_PATTERN },
          behavior: 'Removed',
          invert: true,
        },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: 'RobertaProcessing',
      sep: [special.eos.content, special.eos.id],
      cls: [special.bos.content, special.bos.id],
      trim_offsets: false,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: special.unk,
      continuing_subword_prefix: '',
      end_of_word_suffix: '</w>',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges,
    },
  };
}
