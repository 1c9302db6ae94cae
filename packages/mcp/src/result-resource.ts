import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolContext } from './context';
import { RESULT_URI_TEMPLATE } from './results';

/**
 * `loupe://jobs/{id}/result`: a finished job's image, read through the client from the server
 * (`GET /api/jobs/:id/result`) when an MCP client asks for it, so tool answers carry a link
 * rather than the image. Not listed: jobs come and go; every tool answer names its own.
 */
export function registerResultResource(mcp: McpServer, { client }: ToolContext): void {
  mcp.registerResource(
    'job-result',
    new ResourceTemplate(RESULT_URI_TEMPLATE, { list: undefined }),
    {
      title: 'Job result',
      description:
        'The encoded image a Loupe job produced (kept for LOUPE_RESULT_TTL_S after it ends).',
    },
    async (uri, { id }, extra) => {
      const image = await client.jobResult(String(id), { signal: extra.signal });
      const bytes = Buffer.from(await image.arrayBuffer());
      return {
        contents: [
          {
            uri: uri.href,
            mimeType: image.type || 'application/octet-stream',
            blob: bytes.toString('base64'),
          },
        ],
      };
    },
  );
}
