import * as ort from 'onnxruntime-node';
import type { FilterGraph } from '@loupe/shared';
import { FILTER_BUILDERS } from '../../src/filters';
import type { PlanarImage } from '../../src/filters/reference';

const sessions = new Map<FilterGraph, Promise<ort.InferenceSession>>();

/** Runs a freshly built filter graph on onnxruntime-node's CPU EP; returns `output` as NCHW. */
export async function runFilter(
  graph: FilterGraph,
  image: PlanarImage,
  params: Record<string, { data: ArrayLike<number>; dims: number[] }>,
): Promise<Float32Array> {
  let session = sessions.get(graph);
  if (!session)
    sessions.set(graph, (session = ort.InferenceSession.create(FILTER_BUILDERS[graph]())));
  const feeds: Record<string, ort.Tensor> = {
    image: new ort.Tensor('float32', Float32Array.from(image.data), [
      1,
      4,
      image.height,
      image.width,
    ]),
  };
  for (const [name, { data, dims }] of Object.entries(params)) {
    feeds[name] = new ort.Tensor('float32', Float32Array.from(data), dims);
  }
  const { output } = await (await session).run(feeds);
  if (!output) throw new Error(`${graph} returned no output`);
  return output.data as Float32Array;
}
