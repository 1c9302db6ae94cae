import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const toolsRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Directory of an installed package, found by walking node_modules upward from tools/models.
 * `require.resolve('<pkg>/package.json')` is not enough: several weight packages (e.g.
 * @upscalerjs/esrgan-slim) do not export their package.json.
 */
export function packageDir(name: string, from = toolsRoot): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir)
      throw new Error(`package ${name} is not installed (looked upward from ${from})`);
  }
}

export function packageVersion(name: string): string {
  const dir = name === '@loupe/model-tools' ? toolsRoot : packageDir(name);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string })
    .version;
}
