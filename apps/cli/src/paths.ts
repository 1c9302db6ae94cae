import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// src/paths.ts sits three levels below the repo root, as the server's src/config.ts does.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Where the server looks for the built models when LOUPE_MODELS_DIR is unset (its config.ts). */
export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.LOUPE_MODELS_DIR || resolve(repoRoot, 'public', 'models');
}

/** The server's `pnpm start` entry, built by `pnpm build`. */
export const SERVER_ENTRY = resolve(repoRoot, 'apps', 'server', 'dist', 'server.js');

/** packages/mcp's entry in this checkout, for when @loupe/mcp is not yet a dependency. */
export const MCP_SOURCE_ENTRY = resolve(repoRoot, 'packages', 'mcp', 'src', 'index.ts');
