import { clipTokenizer } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { readTokenizerFiles } from '../../inference/tokenizer-files';
import { countTokens, estimateTokens } from './prompt-tokens';

// A CLIP-layout vocabulary of single letters (each also as a word end, "x</w>") and one merge,
// so every count below can be worked out by hand: "fox" is f, o, x</w>; "cat" is c, at</w>.
const LETTERS = [',', 'a', 'c', 'f', 'o', 't', 'x'];
const TOKENS = [
  ...LETTERS,
  ...LETTERS.map((c) => `${c}</w>`),
  'at</w>',
  '<|startoftext|>',
  '<|endoftext|>',
];
const VOCAB = Object.fromEntries(TOKENS.map((t, i) => [t, i]));
const FILES: Record<string, unknown> = {
  'tokenizer/vocab.json': VOCAB,
  'tokenizer/merges.txt': '#version: 0.2\na t</w>\n',
};

async function tokenizer() {
  const info = {
    tokenizer: { format: 'vocab-merges' as const, files: Object.keys(FILES) },
    files: Object.keys(FILES).map((path) => ({ path, bytes: 1, sha256: '0'.repeat(64) })),
  };
  const files = await readTokenizerFiles(info, {
    json: (path) => Promise.resolve(FILES[path]),
    text: (path) => Promise.resolve(FILES[path] as string),
  });
  return clipTokenizer(files);
}

describe('prompt tokens', () => {
  it("count as the model's tokenizer encodes, start and end included", async () => {
    const t = await tokenizer();
    // a</w> · c at</w> · ,</w> · f o x</w> → 1 + 2 + 1 + 3 = 7 prompt tokens.
    expect(countTokens(t, 'a cat, fox')).toEqual({ tokens: 9, dropped: 0, exact: true });
    expect(countTokens(t, 'at')).toEqual({ tokens: 3, dropped: 0, exact: true });
    expect(countTokens(t, '')).toEqual({ tokens: 2, dropped: 0, exact: true });
  });

  it('say how many tokens past 77 the text encoder never reads', async () => {
    const t = await tokenizer();
    const long = Array.from({ length: 80 }, () => 'a').join(' ');
    expect(countTokens(t, long)).toEqual({ tokens: 82, dropped: 5, exact: true });
    expect(countTokens(t, Array.from({ length: 75 }, () => 'a').join(' ')).dropped).toBe(0);
  });

  it('estimate without a tokenizer, and say it is an estimate', () => {
    expect(estimateTokens('a red fox, in snow')).toEqual({ tokens: 8, dropped: 0, exact: false });
    expect(estimateTokens('photorealistic').tokens).toBe(2 + 2);
    expect(estimateTokens(Array.from({ length: 80 }, () => 'fox').join(' ')).dropped).toBe(5);
  });
});
