import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { LoupeError, checkCapability, isLoupeError, type DiffusionModelInfo } from '@loupe/shared';
import type { ToolContext } from '../context';
import { progressReporter } from '../progress';
import { describeResult, resultContent, resultLink } from '../results';
import { describeUpdate, runJob } from '../run-job';
import { GenerateImageInput, JobResultOutput } from '../schemas';
import { guarded, toolResult } from '../tool-result';

export function registerGenerateImage(mcp: McpServer, ctx: ToolContext): void {
  mcp.registerTool(
    'generate_image',
    {
      title: 'Generate an image from a prompt',
      description:
        'Text to image with a diffusion model of the Loupe server (list_models, under diffusion), ' +
        'as a job: progress per denoising step; the seed that ran is in job.metadata.generation. ' +
        'model omitted: the first usable text-to-image model.',
      inputSchema: GenerateImageInput,
      outputSchema: JobResultOutput,
    },
    guarded(async ({ format, preview, model, ...params }, extra) => {
      const report = progressReporter(extra);
      const job = await runJob(
        ctx,
        null,
        {
          op: 'generate',
          params: { ...params, model: model ?? (await textToImageModel(ctx)) },
          format,
        },
        extra.signal,
        (update) =>
          report(update.progress?.done ?? 0, update.progress?.total, describeUpdate(update)),
      );
      const result = resultLink(job, ctx.serverUrl);
      const content = await resultContent(job, result, preview, ctx, extra.signal);
      return toolResult(`Done: ${describeResult(job)}`, { job, result }, content);
    }),
  );
}

/** The first ready folder that can do text to image, in the server's (folder name) order. */
async function textToImageModel({ client }: ToolContext): Promise<string> {
  const { diffusion } = await client.models();
  const fits = (m: DiffusionModelInfo) => {
    try {
      checkCapability('generate', m);
      return true;
    } catch (e) {
      if (isLoupeError(e)) return false;
      throw e;
    }
  };
  const first = diffusion.models.find((m) => m.status === 'ready' && fits(m));
  if (first) return first.id;
  const why = diffusion.configured
    ? 'the server has no usable text-to-image model (list_models says why each folder is unusable)'
    : 'the server has no diffusion models: it needs LOUPE_DIFFUSION_DIR (see docs/diffusion-models.md)';
  throw new LoupeError('MODEL_UNAVAILABLE', why, [{ path: 'model', message: why }]);
}
