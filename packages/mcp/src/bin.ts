#!/usr/bin/env tsx
// `loupe-mcp --server URL`: the stdio MCP server, for MCP clients that start it as a command.
// The token comes from LOUPE_API_TOKEN (not an argument, which other users could read in ps).
import { parseArgs } from 'node:util';
import { runStdio } from './stdio';

const DEFAULT_SERVER = 'http://127.0.0.1:8787';

const { values } = parseArgs({
  options: { server: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  process.stderr.write(
    `usage: loupe-mcp [--server URL]   (default $LOUPE_SERVER or ${DEFAULT_SERVER})\n` +
      'env: LOUPE_API_TOKEN (the server token), LOUPE_MCP_URL_ALLOW (origins image URLs may come from)\n',
  );
  process.exit(0);
}
const server = values.server ?? process.env.LOUPE_SERVER ?? DEFAULT_SERVER;
await runStdio({
  server,
  ...(process.env.LOUPE_API_TOKEN ? { token: process.env.LOUPE_API_TOKEN } : {}),
});
process.stderr.write(`loupe-mcp: serving MCP on stdio for ${server}\n`);
