import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { OpsResponseSchema } from '@loupe/shared';
import type { RequestExtra, ToolContext } from '../context';
import { ModelsOutput } from '../schemas';
import { guarded, toolResult } from '../tool-result';

/** What the server can do: its operations (params as JSON Schema) and its models. */
export function registerCatalogTools(mcp: McpServer, { client }: ToolContext): void {
  mcp.registerTool(
    'list_operations',
    {
      title: 'List operations',
      description:
        'Every operation edit_image and batch_edit_images take, with its parameters as JSON Schema (ranges, defaults) and what it needs (image, mask, prompt).',
      outputSchema: OpsResponseSchema,
      annotations: { readOnlyHint: true },
    },
    guarded(async (extra: RequestExtra) => {
      const answer = await client.ops({ signal: extra.signal });
      return toolResult(
        `${answer.ops.length} operations: ${answer.ops.map((o) => o.id).join(', ')}`,
        answer,
      );
    }),
  );

  mcp.registerTool(
    'list_models',
    {
      title: 'List models',
      description:
        'The built models (license, size, where each lives now) and the diffusion models of LOUPE_DIFFUSION_DIR with what each can do.',
      outputSchema: ModelsOutput,
      annotations: { readOnlyHint: true },
    },
    guarded(async (extra: RequestExtra) => {
      const answer = await client.models({ signal: extra.signal });
      const diffusion = answer.diffusion.models.map((m) => m.id);
      return toolResult(
        `${answer.models.length} built models; diffusion: ${diffusion.join(', ') || 'none'}`,
        answer,
      );
    }),
  );
}
