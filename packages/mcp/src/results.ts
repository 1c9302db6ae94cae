import type { ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import { LoupeError, UPLOAD_LIMIT_DEFAULTS, type Job } from '@loupe/shared';
import { decodeImage, encodePreview, MIME } from '@loupe/runtime-node/image-codec';
import type { ToolContext } from './context';
import type { ResultLink } from './schemas';

/** The MCP resource a finished job's image is read from (see `registerResultResource`). */
export const RESULT_URI_TEMPLATE = 'loupe://jobs/{id}/result';
export const resultUri = (id: string) => `loupe://jobs/${encodeURIComponent(id)}/result`;

/** The job's result as a link, or the job's own error when it did not succeed. */
export function resultLink(job: Job, serverUrl: string | undefined): ResultLink {
  if (job.state !== 'succeeded') {
    if (job.error) throw LoupeError.fromPayload(job.error);
    throw new LoupeError(
      job.state === 'cancelled' ? 'JOB_CANCELLED' : 'JOB_NOT_FINISHED',
      `Job ${job.id} is ${job.state}`,
    );
  }
  const base = serverUrl?.replace(/\/+$/, '');
  return {
    uri: resultUri(job.id),
    ...(base ? { url: `${base}/api/jobs/${encodeURIComponent(job.id)}/result` } : {}),
    mimeType: MIME[job.metadata?.output.format ?? 'png'],
    ...(job.resultExpiresAt ? { expiresAt: job.resultExpiresAt } : {}),
  };
}

/** What a finished job is, in one line: `upscale: 64×48 png, job <id>`. */
export function describeResult(job: Job): string {
  const m = job.metadata;
  if (!m) return `job ${job.id} ${job.state}`;
  const steps = m.steps.map((s) => s.op).join(' → ');
  return `${steps}: ${m.output.width}×${m.output.height} ${m.output.format ?? 'png'}, job ${job.id}`;
}

/**
 * The content blocks that point at a result: a `resource_link` the client can read (never the
 * image's bytes in the model's context), and the downscaled preview only when asked for.
 */
export async function resultContent(
  job: Job,
  link: ResultLink,
  preview: boolean,
  { client }: ToolContext,
  signal?: AbortSignal,
): Promise<ContentBlock[]> {
  const ops = job.metadata?.steps.map((s) => s.op).join('_') ?? 'result';
  const name = `${ops}-${job.id}.${link.mimeType.split('/')[1]}`;
  const blocks: ContentBlock[] = [
    {
      type: 'resource_link',
      uri: link.uri,
      name,
      mimeType: link.mimeType,
      description: `${describeResult(job)}${link.url ? `; also at ${link.url}` : ''}`,
    },
  ];
  if (preview) {
    const bytes = new Uint8Array(await (await client.jobResult(job.id, { signal })).arrayBuffer());
    const { image } = await decodeImage(bytes, UPLOAD_LIMIT_DEFAULTS.maxOutputPixels);
    const small = await encodePreview(image);
    blocks.push({
      type: 'image',
      mimeType: small.mime,
      data: Buffer.from(small.bytes).toString('base64'),
    });
  }
  return blocks;
}
