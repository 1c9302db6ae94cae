import { clipTokenizer, type ClipTokenizer, type DiffusionModelInfo } from '@loupe/shared';
import { readTokenizerFiles } from '../../inference/tokenizer-files';

/**
 * The folder's own CLIP tokenizer, read from the server's files route (the worker's source for
 * the same files). Loaded on demand by the prompt panel (a dynamic import, so the tokenizers
 * library stays out of the first page load).
 */
export async function loadTokenizer(
  info: Pick<DiffusionModelInfo, 'tokenizer' | 'files'>,
  filesUrl: string,
  signal?: AbortSignal,
): Promise<ClipTokenizer> {
  const get = async (path: string) => {
    const response = await fetch(new URL(path, filesUrl), signal ? { signal } : {});
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response;
  };
  const files = await readTokenizerFiles(info, {
    json: async (path) => (await get(path)).json(),
    text: async (path) => (await get(path)).text(),
  });
  return clipTokenizer(files);
}
