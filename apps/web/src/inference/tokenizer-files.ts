import type { ClipTokenizerFiles, DiffusionModelInfo } from '@loupe/shared';

/** Reads one of a folder's listed files: as JSON, or as text. */
export interface FolderReader {
  json(path: string): Promise<unknown>;
  text(path: string): Promise<string>;
}

/**
 * A folder's `tokenizer/` files as the shared CLIP tokenizer takes them, by the layout the scan
 * found (`tokenizer.json`, or `vocab.json` + `merges.txt`), with the configs it lists. Pure: the
 * worker reads through its verified cache, the prompt panel over HTTP.
 */
export async function readTokenizerFiles(
  info: Pick<DiffusionModelInfo, 'tokenizer' | 'files'>,
  read: FolderReader,
): Promise<ClipTokenizerFiles> {
  const has = (path: string) => info.files.some((f) => f.path === path);
  const files: ClipTokenizerFiles =
    info.tokenizer.format === 'tokenizer-json'
      ? { tokenizerJson: await read.json('tokenizer/tokenizer.json') }
      : {
          vocab: await read.json('tokenizer/vocab.json'),
          merges: await read.text('tokenizer/merges.txt'),
        };
  if (has('tokenizer/tokenizer_config.json'))
    files.tokenizerConfig = await read.json('tokenizer/tokenizer_config.json');
  if (has('tokenizer/special_tokens_map.json'))
    files.specialTokensMap = await read.json('tokenizer/special_tokens_map.json');
  return files;
}
