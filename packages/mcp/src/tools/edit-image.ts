import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolContext } from '../context';
import { readImageSource } from '../image-source';
import { progressReporter } from '../progress';
import { describeResult, resultContent, resultLink } from '../results';
import { describeUpdate, editRequest, runJob } from '../run-job';
import { EditImageInput, JobResultOutput } from '../schemas';
import { guarded, toolResult } from '../tool-result';

export function registerEditImage(mcp: McpServer, ctx: ToolContext): void {
  mcp.registerTool(
    'edit_image',
    {
      title: 'Edit an image',
      description:
        'Runs one operation (op + params) or a pipeline (steps) on an image, as a job on the Loupe server ' +
        '(list_operations has every op and its params). Answers the job and a link to the result ' +
        '(a loupe:// resource and the server URL); preview: true adds a small inline JPEG.',
      inputSchema: EditImageInput,
      outputSchema: JobResultOutput,
    },
    guarded(async (input, extra) => {
      const image = await readImageSource(input.image, 'image', ctx.images, extra.signal);
      const mask =
        input.mask && (await readImageSource(input.mask, 'mask', ctx.images, extra.signal));
      const report = progressReporter(extra);
      const job = await runJob(
        ctx,
        image,
        { ...editRequest(input), ...(mask ? { mask } : {}) },
        extra.signal,
        (update) =>
          report(update.progress?.done ?? 0, update.progress?.total, describeUpdate(update)),
      );
      const result = resultLink(job, ctx.serverUrl);
      const content = await resultContent(job, result, input.preview, ctx, extra.signal);
      return toolResult(`Done: ${describeResult(job)}`, { job, result }, content);
    }),
  );
}
