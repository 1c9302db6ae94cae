// A tiny CLIP tokenizer in the two file formats diffusers folders ship: vocab.json + merges.txt
// (transformers' CLIPTokenizer) or one tokenizer.json (the tokenizers library). Byte-level BPE
// with an end-of-word suffix, so any text encodes; a few merges whole words of common prompts.

export const START_OF_TEXT = '<|startoftext|>';
export const END_OF_TEXT = '<|endoftext|>';
export const MAX_TOKENS = 77;

/** Words whose merges the vocabulary learns: each becomes a single token. */
const WORDS = [
  'a',
  'an',
  'the',
  'of',
  'on',
  'in',
  'with',
  'and',
  'photo',
  'painting',
  'portrait',
  'cat',
  'dog',
  'horse',
  'astronaut',
  'riding',
  'red',
  'blue',
  'sky',
  'house',
];

/**
 * GPT-2's reversible byte → unicode map that CLIP uses: printable Latin-1 bytes stand for
 * themselves, the rest are moved to 256 and up so no token contains whitespace or controls.
 */
export function byteToUnicode(): string[] {
  const printable = (b: number) =>
    (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const map: string[] = [];
  let extra = 0;
  for (let b = 0; b < 256; b++) map[b] = String.fromCodePoint(printable(b) ? b : 256 + extra++);
  return map;
}

/** The vocabulary's order: CLIP lists printable bytes first, then the moved ones. */
function baseSymbols(): string[] {
  const map = byteToUnicode();
  const order: number[] = [];
  for (let b = 0; b < 256; b++) if (map[b]!.codePointAt(0)! < 256) order.push(b);
  for (let b = 0; b < 256; b++) if (map[b]!.codePointAt(0)! >= 256) order.push(b);
  return order.map((b) => map[b]!);
}

export interface TinyVocabulary {
  /** token → id, in id order. */
  vocab: Record<string, number>;
  /** "left right" pairs in rank order. */
  merges: string[];
  startId: number;
  endId: number;
}

/** The vocabulary (a few hundred tokens: 512 byte symbols, the words' merges, the two specials). */
export function tinyVocabulary(): TinyVocabulary {
  const tokens = baseSymbols();
  tokens.push(...tokens.map((t) => `${t}</w>`));
  const known = new Set(tokens);
  const merges: string[] = [];
  for (const word of WORDS) {
    const symbols = [...word].map((c, i, all) => (i === all.length - 1 ? `${c}</w>` : c));
    // Merge left to right: each step's pair joins the word's prefix with its next symbol.
    let prefix = symbols[0]!;
    for (const next of symbols.slice(1)) {
      const joined = prefix + next;
      if (!known.has(joined)) {
        merges.push(`${prefix} ${next}`);
        tokens.push(joined);
        known.add(joined);
      }
      prefix = joined;
    }
  }
  tokens.push(START_OF_TEXT, END_OF_TEXT);
  const vocab = Object.fromEntries(tokens.map((t, id) => [t, id]));
  return { vocab, merges, startId: tokens.length - 2, endId: tokens.length - 1 };
}

export type TokenizerFormat = 'vocab-merges' | 'tokenizer-json';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** tokenizer/* files, by name. */
export function tokenizerFiles(format: TokenizerFormat): Record<string, string> {
  const v = tinyVocabulary();
  const special = (content: string) => ({
    content,
    lstrip: false,
    normalized: true,
    rstrip: false,
    single_word: false,
  });
  const files: Record<string, string> = {
    'tokenizer_config.json': json({
      add_prefix_space: false,
      bos_token: special(START_OF_TEXT),
      do_lower_case: true,
      eos_token: special(END_OF_TEXT),
      errors: 'replace',
      model_max_length: MAX_TOKENS,
      pad_token: END_OF_TEXT,
      tokenizer_class: 'CLIPTokenizer',
      unk_token: special(END_OF_TEXT),
    }),
    'special_tokens_map.json': json({
      bos_token: special(START_OF_TEXT),
      eos_token: special(END_OF_TEXT),
      pad_token: END_OF_TEXT,
      unk_token: special(END_OF_TEXT),
    }),
  };
  if (format === 'vocab-merges') {
    files['vocab.json'] = `${JSON.stringify(v.vocab)}\n`;
    // CLIP's merges.txt starts with a version line, then one pair per line.
    files['merges.txt'] = ['#version: 0.2', ...v.merges].join('\n') + '\n';
  } else {
    files['tokenizer.json'] = json(tokenizerJson(v));
  }
  return files;
}

/** The tokenizers library's serialisation of CLIP's tokenizer, over the tiny vocabulary. */
function tokenizerJson(v: TinyVocabulary): unknown {
  const added = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: content === START_OF_TEXT,
    special: true,
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [added(v.startId, START_OF_TEXT), added(v.endId, END_OF_TEXT)],
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
          pattern: {
            Regex:
              "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
          },
          behavior: 'Removed',
          invert: true,
        },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: 'RobertaProcessing',
      sep: [END_OF_TEXT, v.endId],
      cls: [START_OF_TEXT, v.startId],
      trim_offsets: false,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: END_OF_TEXT,
      continuing_subword_prefix: '',
      end_of_word_suffix: '</w>',
      fuse_unk: false,
      byte_fallback: false,
      vocab: v.vocab,
      merges: v.merges,
    },
  };
}
