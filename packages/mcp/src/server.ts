import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { UPLOAD_LIMIT_DEFAULTS } from '@loupe/shared';
import type { LoupeClient } from '@loupe/client';
import packageJson from '../package.json' with { type: 'json' };
import type { ToolContext } from './context';
import { registerResultResource } from './result-resource';
import { registerBatchEditImages } from './tools/batch-edit-images';
import { registerCatalogTools } from './tools/catalog';
import { registerEditImage } from './tools/edit-image';
import { registerGenerateImage } from './tools/generate-image';
import { registerGpuTools } from './tools/gpu';
import { registerJobTools } from './tools/jobs';

export interface LoupeMcpOptions {
  /** The Loupe server every tool goes through. */
  client: LoupeClient;
  /** Origins image URLs may come from (`parseAllowList`); none when omitted. */
  allowUrls?: readonly string[];
  /** Whether `{path}` images are read from this machine's disk. Default true (stdio). */
  allowFiles?: boolean;
  /** Where MCP clients reach the Loupe server, for the result URLs in tool answers. */
  serverUrl?: string;
  /** Image inputs larger than this are refused before they are read. Default: the server's upload limit default. */
  maxImageBytes?: number;
}

/**
 * An MCP server whose tools are Loupe's operations, each one call of `@loupe/client`: nothing
 * here edits an image itself. Connect it to one transport (stdio, or one streamable HTTP session).
 *
 * @example
 * const mcp = createLoupeMcpServer({ client: createLoupeClient({ baseUrl }), serverUrl: baseUrl });
 * await mcp.connect(new StdioServerTransport());
 */
export function createLoupeMcpServer(options: LoupeMcpOptions): McpServer {
  const mcp = new McpServer(
    { name: 'loupe', title: 'Loupe image editing', version: packageJson.version },
    {
      instructions:
        'Edit images (edit_image, batch_edit_images) with the operations list_operations lists, generate with ' +
        'generate_image. Results are links (loupe:// resources and server URLs), not inline images; ask for preview: true ' +
        'to see a small JPEG.',
    },
  );
  const ctx: ToolContext = {
    client: options.client,
    images: {
      allowUrls: options.allowUrls ?? [],
      allowFiles: options.allowFiles ?? true,
      maxBytes: options.maxImageBytes ?? UPLOAD_LIMIT_DEFAULTS.maxUploadBytes,
    },
    serverUrl: options.serverUrl,
  };
  registerResultResource(mcp, ctx);
  registerEditImage(mcp, ctx);
  registerBatchEditImages(mcp, ctx);
  registerGenerateImage(mcp, ctx);
  registerJobTools(mcp, ctx);
  registerGpuTools(mcp, ctx);
  registerCatalogTools(mcp, ctx);
  return mcp;
}
