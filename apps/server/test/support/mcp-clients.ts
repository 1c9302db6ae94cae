import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export const MCP_TRANSPORTS = ['stdio', 'http'] as const;
export type McpTransportName = (typeof MCP_TRANSPORTS)[number];

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
// `loupe mcp`: the CLI's subcommand, which runs @loupe/mcp's stdio server.
const loupeBin = join(repoRoot, 'apps', 'cli', 'bin', 'loupe.js');

export interface McpConnection {
  client: Client;
  /** What the stdio server printed on stderr (nothing over HTTP). */
  stderr(): string;
}

/**
 * The SDK's own client, connected to Loupe over `transport`: stdio spawns `loupe mcp` against
 * `base`; http opens a session at `base/mcp`.
 */
export async function connectMcp(
  transport: McpTransportName,
  base: string,
  env: { token: string; urlAllow: string },
): Promise<McpConnection> {
  const client = new Client({ name: 'loupe-test', version: '0.0.0' });
  let stderr = '';
  if (transport === 'stdio') {
    const stdio = new StdioClientTransport({
      command: process.execPath,
      args: [loupeBin, 'mcp', '--server', base],
      env: {
        PATH: process.env.PATH ?? '',
        LOUPE_API_TOKEN: env.token,
        LOUPE_MCP_URL_ALLOW: env.urlAllow,
      },
      cwd: repoRoot,
      stderr: 'pipe',
    });
    stdio.stderr?.on('data', (chunk) => (stderr += chunk));
    await client.connect(stdio);
  } else {
    const http = new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${env.token}` } },
    });
    await client.connect(http);
  }
  return { client, stderr: () => stderr };
}
