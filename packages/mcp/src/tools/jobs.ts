import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolContext } from '../context';
import { describeResult, resultLink } from '../results';
import { CancelOutput, JobIdInput, JobResultOutput } from '../schemas';
import { guarded, toolResult } from '../tool-result';

/** `get_job` and `cancel_job`: any job of the server, by id, whoever started it. */
export function registerJobTools(mcp: McpServer, ctx: ToolContext): void {
  mcp.registerTool(
    'get_job',
    {
      title: 'Get a job',
      description:
        'A job of the Loupe server by id: state, progress, what ran (metadata), error; a link to the result once it succeeded.',
      inputSchema: JobIdInput,
      outputSchema: JobResultOutput,
      annotations: { readOnlyHint: true },
    },
    guarded(async ({ id }, extra) => {
      const job = await ctx.client.job(id, { signal: extra.signal });
      if (job.state !== 'succeeded') return toolResult(`Job ${id} is ${job.state}`, { job });
      const result = resultLink(job, ctx.serverUrl);
      return toolResult(describeResult(job), { job, result });
    }),
  );

  mcp.registerTool(
    'cancel_job',
    {
      title: 'Cancel a job',
      description:
        'Cancels a queued or running job of the Loupe server; an ended job is left as it is.',
      inputSchema: JobIdInput,
      outputSchema: CancelOutput,
      annotations: { destructiveHint: true, idempotentHint: true },
    },
    guarded(async ({ id }, extra) => {
      const job = await ctx.client.cancelJob(id, { signal: extra.signal });
      return toolResult(`Job ${id} is ${job.state}`, { job });
    }),
  );
}
