import { createSession, runSession, type OrtSession } from '@loupe/runtime-node';
import type { FilterGraph } from '@loupe/shared';
import { FILTER_BUILDERS } from '../../src/filters';
import type { PlanarImage } from '../../src/filters/reference';

const sessions = new Map<FilterGraph, Promise<OrtSession>>();

/** Runs a freshly built filter graph on onnxruntime-node's CPU EP; returns `output` as NCHW. */
export async function runFilter(
  graph: FilterGraph,
  image: PlanarImage,
  params: Record<string, { data: ArrayLike<number>; dims: number[] }>,
): Promise<Float32Array> {
  let session = sessions.get(graph);
  if (!session)
    sessions.set(graph, (session = createSession(FILTER_BUILDERS[graph](), { ep: 'cpu' })));
  const feeds = {
    image: { data: Float32Array.from(image.data), dims: [1, 4, image.height, image.width] },
    ...Object.fromEntries(
      Object.entries(params).map(([name, { data, dims }]) => [
        name,
        { data: Float32Array.from(data), dims },
      ]),
    ),
  };
  const { output } = await runSession(await session, feeds);
  if (!output) throw new Error(`${graph} returned no output`);
  return output.data;
}
