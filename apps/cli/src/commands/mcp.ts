import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { LoupeError } from '@loupe/shared';
import { MCP_SOURCE_ENTRY } from '../paths';

interface McpModule {
  runStdio(options: { server: string; token?: string | undefined }): Promise<void>;
}

const isMcpModule = (m: unknown): m is McpModule =>
  typeof (m as { runStdio?: unknown } | null)?.runStdio === 'function';

/**
 * @loupe/mcp (packages/mcp), loaded only by this command: by package name once it is a
 * dependency, else from this checkout's source. Missing, the command says so and exits 1.
 */
async function loadMcp(): Promise<McpModule> {
  // Specifiers in variables: the package may not exist yet, and the typecheck must not need it.
  const name = '@loupe/mcp';
  const candidates = [
    name,
    ...(existsSync(MCP_SOURCE_ENTRY) ? [pathToFileURL(MCP_SOURCE_ENTRY).href] : []),
  ];
  for (const specifier of candidates) {
    try {
      const mod: unknown = await import(specifier);
      if (isMcpModule(mod)) return mod;
    } catch (e) {
      // Only the package itself missing means "try the next"; a missing import inside it is its bug.
      const missing =
        (e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' &&
        String((e as Error).message).includes(`'${name}'`);
      if (!missing) throw e;
    }
  }
  throw new LoupeError(
    'NOT_READY',
    `loupe mcp needs ${name} (packages/mcp, exporting runStdio), which this checkout does not have yet`,
  );
}

export function mcpCommand(): Command {
  return new Command('mcp')
    .description('the MCP server over stdio, for agents; it works through a Loupe server')
    .option('--server <url>', 'the Loupe server', 'http://127.0.0.1:8787')
    .option('--token <token>', 'its API token (default: $LOUPE_API_TOKEN)')
    .action(async (flags: { server: string; token?: string }) => {
      const { runStdio } = await loadMcp();
      await runStdio({ server: flags.server, token: flags.token ?? process.env.LOUPE_API_TOKEN });
    });
}
