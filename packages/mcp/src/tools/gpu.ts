import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { GpuActionResponseSchema, GpuStatusSchema } from '@loupe/shared';
import type { RequestExtra, ToolContext } from '../context';
import { GpuActionInput } from '../schemas';
import { guarded, toolResult } from '../tool-result';

/** The names Step1X-Edit's MCP server uses for the same three things. */
export function registerGpuTools(mcp: McpServer, { client }: ToolContext): void {
  mcp.registerTool(
    'get_gpu_status',
    {
      title: 'GPU status',
      description:
        'Execution provider and why, device memory, inference workers, where each model lives (device, RAM, unloaded), queue and expected wait.',
      outputSchema: GpuStatusSchema,
      annotations: { readOnlyHint: true },
    },
    guarded(async (extra: RequestExtra) => {
      const status = await client.gpuStatus({ signal: extra.signal });
      const onDevice = status.models.filter((m) => m.residency === 'device').length;
      return toolResult(
        `${status.ep} on ${status.device.name}: ${onDevice} models on the device, ${status.queue.depth} jobs waiting`,
        status,
      );
    }),
  );

  const action = (name: 'offload' | 'release', title: string, description: string) =>
    mcp.registerTool(
      `${name}_gpu`,
      {
        title,
        description,
        inputSchema: GpuActionInput,
        outputSchema: GpuActionResponseSchema,
        annotations: { idempotentHint: true },
      },
      guarded(async (request, extra) => {
        const answer = await client[name](request, { signal: extra.signal });
        const skipped = answer.skippedInUse.length
          ? `; in use, kept: ${answer.skippedInUse.join(', ')}`
          : '';
        return toolResult(
          `${name}: ${answer.affected.join(', ') || 'nothing to do'}${skipped}`,
          answer,
        );
      }),
    );
  action(
    'offload',
    'Offload idle models',
    'Frees device memory of idle models (all, or the ones named), keeping their bytes in RAM for a fast reload.',
  );
  action(
    'release',
    'Release idle models',
    'Drops idle models (all, or the ones named) from the device and from RAM; models in use are skipped.',
  );
}
