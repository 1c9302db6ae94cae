import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createLoupeClient } from '@loupe/client';
import { createLoupeMcpServer } from './server';
import { parseAllowList } from './url-allow';

export interface StdioOptions {
  /** The Loupe server, e.g. `http://127.0.0.1:8787`. */
  server: string;
  /** The server's LOUPE_API_TOKEN, when it has one. */
  token?: string;
  /** Origins image URLs may come from; default `LOUPE_MCP_URL_ALLOW`. */
  allowUrls?: readonly string[];
}

/**
 * Serves MCP over this process's stdin/stdout (what `loupe mcp` runs) until stdin closes.
 * stdout carries the protocol only: anything to say goes to stderr.
 *
 * @example await runStdio({ server: 'http://127.0.0.1:8787', token: process.env.LOUPE_API_TOKEN });
 */
export async function runStdio(options: StdioOptions): Promise<McpServer> {
  const client = createLoupeClient({
    baseUrl: options.server,
    ...(options.token ? { token: options.token } : {}),
  });
  const mcp = createLoupeMcpServer({
    client,
    serverUrl: options.server,
    allowUrls: options.allowUrls ?? parseAllowList(process.env.LOUPE_MCP_URL_ALLOW),
    allowFiles: true,
  });
  await mcp.connect(new StdioServerTransport());
  return mcp;
}
