import { CLIP_CONTEXT_LENGTH, type DiffusionModelInfo } from '@loupe/shared';
import { useQuery } from '@tanstack/react-query';
import { countTokens, estimateTokens } from './prompt-tokens';

function tokenizerQuery(info: DiffusionModelInfo | undefined, filesUrl: string) {
  return {
    queryKey: ['diffusion', info?.id, info?.sha256, 'tokenizer'],
    queryFn: async ({ signal }: { signal: AbortSignal }) => {
      const { loadTokenizer } = await import('./load-tokenizer');
      return loadTokenizer(info!, filesUrl, signal);
    },
    enabled: info !== undefined,
    staleTime: Infinity,
    retry: false,
  };
}

/**
 * "9 / 77 tokens" under a prompt, counted by the chosen folder's own tokenizer; while it
 * loads, or when it cannot be read, an estimate that says it is one. Past 77 it warns how
 * many tokens the text encoder will never read.
 */
export function TokenCount({
  id,
  text,
  info,
  filesUrl,
}: {
  id: string;
  text: string;
  info: DiffusionModelInfo | undefined;
  filesUrl: string;
}) {
  const tokenizer = useQuery(tokenizerQuery(info, filesUrl));
  const count = tokenizer.data ? countTokens(tokenizer.data, text) : estimateTokens(text);
  const over = count.dropped > 0;
  return (
    <p
      id={id}
      data-testid="token-count"
      data-exact={count.exact}
      className={`mt-1 text-[11px] tabular-nums ${over ? 'text-amber-600 dark:text-amber-400' : 'text-zinc-500'}`}
    >
      {count.exact ? '' : '≈ '}
      {count.tokens} / {CLIP_CONTEXT_LENGTH} tokens
      {count.exact ? '' : ' (estimate: the model’s tokenizer is not loaded)'}
      {over ? ` — the last ${count.dropped} past ${CLIP_CONTEXT_LENGTH} are dropped` : ''}
    </p>
  );
}
