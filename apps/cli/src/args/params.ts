import { UsageError } from '../usage-error';

/**
 * `--param key=value` pairs as an op's params. A value that reads as JSON is that value (`2`,
 * `true`, `[1,2]`, `"2"`); anything else is the string as typed (`slim`, `#ff8800`). The op's
 * schema judges them afterwards, as the server's does.
 *
 * @example paramsFromPairs(['scale=4', 'model=slim']) // { scale: 4, model: 'slim' }
 */
export function paramsFromPairs(pairs: readonly string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UsageError(`--param ${pair}: expected key=value`, '--param');
    params[pair.slice(0, at)] = valueOf(pair.slice(at + 1));
  }
  return params;
}

function valueOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
