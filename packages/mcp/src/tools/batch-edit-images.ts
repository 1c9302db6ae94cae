import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import { toErrorPayload } from '@loupe/shared';
import type { ToolContext } from '../context';
import { fractionDone } from '../follow-job';
import { readImageSource } from '../image-source';
import { progressReporter } from '../progress';
import { resultContent, resultLink } from '../results';
import { editRequest, runJob } from '../run-job';
import { BatchEditInput, BatchOutput, MAX_BATCH_IMAGES } from '../schemas';
import { guarded, toolResult } from '../tool-result';

/**
 * Jobs in flight at once: enough that the server's queue always has the next image ready,
 * few enough that one batch does not fill the queue (LOUPE_QUEUE_MAX) for everyone else.
 */
const IN_FLIGHT = 3;

type Item = BatchOutput['items'][number];

export function registerBatchEditImages(mcp: McpServer, ctx: ToolContext): void {
  mcp.registerTool(
    'batch_edit_images',
    {
      title: 'Edit several images the same way',
      description:
        `Runs the same op (or pipeline of steps) on up to ${MAX_BATCH_IMAGES} images, one job each. ` +
        'An image that fails does not stop the others: each item has its job and result link, or its error.',
      inputSchema: BatchEditInput,
      outputSchema: BatchOutput,
    },
    guarded(async (input, extra) => {
      const request = editRequest(input);
      const report = progressReporter(extra);
      const fractions = input.images.map(() => 0);
      const progressed = (index: number, fraction: number) => {
        fractions[index] = fraction;
        const done = fractions.reduce((a, b) => a + b, 0);
        const finished = fractions.filter((f) => f === 1).length;
        report(done, input.images.length, `${finished} of ${input.images.length} images done`);
      };

      const items: Item[] = [];
      const content: ContentBlock[] = [];
      const editOne = async (index: number): Promise<void> => {
        const at = `images.${index}`;
        try {
          const image = await readImageSource(input.images[index]!, at, ctx.images, extra.signal);
          const job = await runJob(ctx, image, request, extra.signal, (u) =>
            progressed(index, fractionDone(u.progress)),
          );
          try {
            const result = resultLink(job, ctx.serverUrl);
            items[index] = { index, job, result };
            content.push(...(await resultContent(job, result, input.preview, ctx, extra.signal)));
          } catch (e) {
            items[index] = { index, job, error: toErrorPayload(e) };
          }
        } catch (e) {
          items[index] = { index, error: toErrorPayload(e) };
        }
        progressed(index, 1);
      };

      let next = 0;
      const lane = async () => {
        while (next < input.images.length && !extra.signal.aborted) await editOne(next++);
      };
      await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, input.images.length) }, lane));

      const failed = items.filter((i) => i.error).length;
      const output: BatchOutput = { done: items.length - failed, failed, items };
      const why = items.flatMap((i) =>
        i.error ? [`${i.index}: ${i.error.code} ${i.error.message}`] : [],
      );
      const summary = `${output.done} of ${items.length} images done${failed ? `; failed: ${why.join('; ')}` : ''}`;
      return toolResult(summary, output, content);
    }),
  );
}
