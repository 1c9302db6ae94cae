import { createLoupeClient, type ImageInput } from '@loupe/client';
import { LoupeError, checkCapability, isLoupeError, type GenerativeOpId } from '@loupe/shared';
import type { EditCall, Engine } from './engine';

export interface RemoteEngineOptions {
  server: string;
  token?: string | undefined;
}

/**
 * Runs on a Loupe server through @loupe/client: each file is a job (so its progress events
 * drive the file's bar), its result fetched when it completes. Validation and limits are the
 * server's; an abort cancels the job there.
 */
export function createRemoteEngine(options: RemoteEngineOptions): Engine {
  const client = createLoupeClient({ baseUrl: options.server, token: options.token });

  async function edit(call: EditCall): Promise<Uint8Array> {
    const { signal } = call;
    const image: ImageInput | null = call.bytes;
    const { id } = await client.createJob(
      image,
      { steps: call.steps, ...call.encoding, ...(call.mask ? { mask: call.mask } : {}) },
      { signal },
    );
    try {
      for await (const event of client.jobEvents(id, { signal })) {
        if (event.type === 'progress') call.onProgress(event.progress);
        else if (event.type === 'failed')
          throw new LoupeError(event.error.code, event.error.message, event.error.fields);
        else if (event.type === 'cancelled') throw new LoupeError('CANCELLED', event.reason);
      }
      const blob = await client.jobResult(id, { signal });
      return new Uint8Array(await blob.arrayBuffer());
    } catch (e) {
      if (signal.aborted) await client.cancelJob(id).catch(() => {});
      throw e;
    }
  }

  async function defaultDiffusionModel(op: GenerativeOpId): Promise<string> {
    const { diffusion } = await client.models();
    const fits = diffusion.models.find((m) => {
      if (m.status !== 'ready') return false;
      try {
        checkCapability(op, m);
        return true;
      } catch (e) {
        if (isLoupeError(e)) return false;
        throw e;
      }
    });
    if (fits) return fits.id;
    throw new LoupeError(
      'MODEL_UNAVAILABLE',
      `the server at ${options.server} has no diffusion model that can do ${op} (see \`loupe models --server ${options.server}\`)`,
    );
  }

  return {
    mode: 'server',
    // The server settles generative steps itself, as it does for every client; asking it first
    // makes a wrong --server one clear error, not one per file.
    async prepare(steps) {
      await client.health();
      return steps;
    },
    edit,
    defaultDiffusionModel,
    close: async () => {},
  };
}
