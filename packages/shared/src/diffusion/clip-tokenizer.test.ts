import { describe, expect, it } from 'vitest';
import { CLIP_CONTEXT_LENGTH, clipTokenizer, type ClipTokenizerFiles } from './clip-tokenizer';

// A CLIP-format tokenizer of a few dozen tokens, laid out as CLIP's is: byte-level characters
// (printable ASCII stands for itself, "!" first with id 0), the same with "</w>", merge results in
// merge order, then the start and end tokens.
const BASE = ['!', "'", ',', '1', '2', 'a', 'c', 'd', 'e', 'f', 'h', 'o', 'p', 'r', 's', 't', 'x'];
const MERGES = [
  'p h',
  'ph o',
  't o</w>',
  'pho to</w>',
  'o f</w>',
  'c a',
  'ca t</w>',
  'r e',
  're d</w>',
  'f o',
  'fo x</w>',
  "' s</w>",
];
const TOKENS = [
  ...BASE,
  ...BASE.map((c) => `${c}</w>`),
  ...MERGES.map((m) => m.replace(' ', '')),
  '<|startoftext|>',
  '<|endoftext|>',
];
const VOCAB = Object.fromEntries(TOKENS.map((t, i) => [t, i]));
const id = (token: string) => VOCAB[token]!;
const [BOS, EOS] = [id('<|startoftext|>'), id('<|endoftext|>')];

const MERGES_TXT = `#version: 0.2\r\n${MERGES.join('\r\n')}\r\n`;
const PAIR: ClipTokenizerFiles = { vocab: VOCAB, merges: MERGES_TXT };
// The same tokenizer as HF's converter serialises it to tokenizer.json, written out by hand.
const TOKENIZER_JSON: ClipTokenizerFiles = {
  tokenizerJson: {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      {
        id: BOS,
        content: '<|startoftext|>',
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: true,
        special: true,
      },
      {
        id: EOS,
        content: '<|endoftext|>',
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: true,
        special: true,
      },
    ],
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
          pattern: { Regex: "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+" },
          behavior: 'Removed',
          invert: true,
        },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
      ],
    },
    post_processor: {
      type: 'RobertaProcessing',
      sep: ['<|endoftext|>', EOS],
      cls: ['<|startoftext|>', BOS],
      trim_offsets: false,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<|endoftext|>',
      continuing_subword_prefix: '',
      end_of_word_suffix: '</w>',
      fuse_unk: false,
      byte_fallback: false,
      vocab: VOCAB,
      merges: MERGES,
    },
  },
};

/** The 77 ids of start, `tokens`, end, and `pad` after. */
const padded = (tokens: string[], pad = EOS) => {
  const ids = [BOS, ...tokens.map(id), EOS];
  return [...ids, ...Array<number>(CLIP_CONTEXT_LENGTH - ids.length).fill(pad)];
};

describe.each([
  ['vocab.json + merges.txt', PAIR],
  ['tokenizer.json', TOKENIZER_JSON],
])('CLIP tokenizer from %s', (_name, files) => {
  const tokenizer = clipTokenizer(files);
  const encode = (prompt: string) => Array.from(tokenizer.encode(prompt).ids);

  it('tokenizes words by the merges, ending each word with </w>', () => {
    expect(encode('a photo of a cat')).toEqual(
      padded(['a</w>', 'photo</w>', 'of</w>', 'a</w>', 'cat</w>']),
    );
    // "photos" has no merge past "pho": the rest stays in pieces, the last marked as the word's end.
    expect(encode('photos')).toEqual(padded(['pho', 't', 'o', 's</w>']));
  });

  it("lowercases and collapses whitespace, splits contractions, digits and punctuation as CLIP's pattern does", () => {
    expect(encode('  A   PHOTO\n\tOF a cat ')).toEqual(encode('a photo of a cat'));
    expect(encode("cat's 12, red fox!")).toEqual(
      padded(['cat</w>', "'s</w>", '1</w>', '2</w>', ',</w>', 'red</w>', 'fox</w>', '!</w>']),
    );
  });

  it('gives exactly 77 ids: the empty prompt is start, end, padding', () => {
    const { ids, droppedTokens } = tokenizer.encode('');
    expect(ids).toBeInstanceOf(Int32Array);
    expect(Array.from(ids)).toEqual(padded([]));
    expect(droppedTokens).toBe(0);
  });

  it('keeps the first 75 tokens of a longer prompt, ends it, and says how many were dropped', () => {
    const long = tokenizer.encode(Array(80).fill('a').join(' '));
    expect(long.ids).toHaveLength(77);
    expect(long.ids[0]).toBe(BOS);
    expect(Array.from(long.ids.subarray(1, 76))).toEqual(Array<number>(75).fill(id('a</w>')));
    expect(long.ids[76]).toBe(EOS);
    expect(long.droppedTokens).toBe(5);
    expect(tokenizer.encode(Array(75).fill('a').join(' ')).droppedTokens).toBe(0);
  });

  it('pads with the end token by default (SD 1.x) and with the configured pad token (SD 2.x: "!" = 0)', () => {
    expect(tokenizer.padId).toBe(EOS);
    const sd2 = clipTokenizer({
      ...files,
      tokenizerConfig: { pad_token: '!', model_max_length: 77 },
    });
    expect(sd2.padId).toBe(0);
    expect(Array.from(sd2.encode('a cat').ids)).toEqual(padded(['a</w>', 'cat</w>'], 0));
    const fromMap = clipTokenizer({
      ...files,
      specialTokensMap: { pad_token: { content: '!', lstrip: false } },
    });
    expect(fromMap.padId).toBe(0);
    // tokenizer_config.json wins over special_tokens_map.json.
    const both = clipTokenizer({
      ...files,
      tokenizerConfig: { pad_token: '<|endoftext|>' },
      specialTokensMap: { pad_token: '!' },
    });
    expect(both.padId).toBe(EOS);
  });
});

describe('CLIP tokenizer files', () => {
  it('gives the same ids from both file forms', () => {
    const [pair, json] = [clipTokenizer(PAIR), clipTokenizer(TOKENIZER_JSON)];
    for (const prompt of ['a red fox, photo of a cat!', "fox's 21 photos", 'Of  Cat\nRED', ''])
      expect(pair.encode(prompt)).toEqual(json.encode(prompt));
  });

  it('says what is missing or wrong', () => {
    expect(() => clipTokenizer({ vocab: VOCAB })).toThrow(
      expect.objectContaining({ code: 'MODEL_UNAVAILABLE' }),
    );
    expect(() => clipTokenizer({ vocab: { a: 'x' }, merges: '' })).toThrow(
      /vocab\.json is not valid/,
    );
    expect(() => clipTokenizer({ ...PAIR, tokenizerConfig: { pad_token: '<pad>' } })).toThrow(
      /pad_token "<pad>" is not in the vocabulary/,
    );
    const { '<|startoftext|>': _bos, ...noStart } = VOCAB;
    expect(() => clipTokenizer({ vocab: noStart, merges: MERGES_TXT })).toThrow(/bos_token/);
  });
});
