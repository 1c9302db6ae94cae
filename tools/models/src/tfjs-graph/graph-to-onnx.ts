import { GraphBuilder, onnx } from '../onnx/graph-builder';
import { foldNormAffine } from '../onnx/fold-norm-affine';
import { fuseTanhGelu } from '../onnx/fuse-tanh-gelu';
import { inferShapes } from '../onnx/graph-flops';
import { pruneToOutput } from '../onnx/prune';
import { splitDenseColumns } from '../onnx/split-dense-columns';
import { EMITTERS } from './emit-ops';
import { ELEMENTWISE_FOLDS } from './fold-elementwise';
import { SHAPE_FOLDS } from './fold-shape';
import type { TfGraphModel, TfNode } from './graph-model';
import { hostTensor, type HostTensor } from './host-tensor';
import { OnnxEmitter } from './onnx-emitter';
import { hostValue, shapeOf, type GraphValue, type Value } from './values';

const FOLDS = { ...ELEMENTWISE_FOLDS, ...SHAPE_FOLDS };

export interface GraphToOnnxOptions {
  /** Graph and model name written into the ONNX file. */
  readonly name: string;
  readonly docString?: string;
  /** The one input size the graph is converted for (NHWC graphs with dynamic dims). */
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /**
   * The dense-layer rewrites (foldNormAffine, splitDenseColumns); on unless false, which
   * bench/maxim-rewrites.ts uses to time the graph without them.
   */
  readonly denseRewrites?: boolean;
}

/** What the conversion did, for the build log and the tests. */
export interface ConversionReport {
  readonly folded: number;
  readonly emitted: number;
  /** GELUs written as one FastGelu (see fuseTanhGelu). */
  readonly gelus: number;
  /** Layer norms whose γ and β went into the dense layer after them (see foldNormAffine). */
  readonly norms: number;
  /** Dense layers computed slice by slice instead of split after (see splitDenseColumns). */
  readonly splits: number;
}

/** ONNX I/O names of every tiled image model (packages/shared MODELS). */
export const INPUT = 'input';
export const OUTPUT = 'output';

/**
 * Writes a TFJS graph model (an NHWC TensorFlow GraphDef) as an ONNX graph for one fixed input
 * size, with NCHW `input` / `output` as the shared engine feeds its tiled models.
 *
 * Every node whose inputs are all known (Const nodes, and everything computed from the input's
 * static shape: MAXIM's Shape → StridedSlice → Pack → Range → … arithmetic and the resize
 * weights it builds) is evaluated here; only nodes that read pixels are written. A node of an
 * op with neither a fold nor an emitter throws rather than guessing.
 *
 * @example
 *   const { onnx } = graphToOnnx(await readGraphModel(dir, 'models/model.json'),
 *     { name: 'maxim-deblurring', height: 256, width: 256, channels: 3 });
 */
export function graphToOnnx(
  model: TfGraphModel,
  options: GraphToOnnxOptions,
): { onnx: Uint8Array; report: ConversionReport } {
  const { height, width, channels } = options;
  const g = new GraphBuilder(options.name);
  const e = new OnnxEmitter(g);
  const nchw: GraphValue = {
    kind: 'graph',
    name: g.input(INPUT, [1, channels, height, width]),
    dtype: 'float32',
    shape: [1, channels, height, width],
  };
  const values = new Map<string, Value>();
  let folded = 0;
  let emitted = 0;

  for (const node of model.nodes) {
    const inputs = node.inputs.map((name) => {
      const v = values.get(name);
      if (!v) throw new Error(`${node.name}: input ${name} has no value`);
      return v;
    });
    let value: Value;
    if (node.op === 'Placeholder') {
      if (node.name !== model.input) throw new Error(`unexpected placeholder ${node.name}`);
      value = e.transpose(nchw, [0, 2, 3, 1]);
    } else if (node.op === 'Const') {
      value = hostValue(model.constants.get(node.name)!);
    } else if (node.op === 'Shape') {
      value = hostValue(hostTensor('int32', [shapeOf(inputs[0]!).length], shapeOf(inputs[0]!)));
      folded++;
    } else if (inputs.every((v) => v.kind === 'host') && FOLDS[node.op]) {
      value = hostValue(
        FOLDS[node.op]!(
          node,
          inputs.map((v) => (v as { tensor: HostTensor }).tensor),
        ),
      );
      folded++;
    } else {
      value = emit(node, inputs, e);
      emitted++;
    }
    values.set(node.name, value);
  }

  const result = values.get(model.output);
  if (result?.kind !== 'graph')
    throw new Error(`output ${model.output} does not depend on the input`);
  const out = e.transpose(result, [0, 3, 1, 2]);
  g.output(out.name, OUTPUT, out.shape);
  const proto = g.toModel(options.docString);
  // GELUs first, pruned of the ops they replace: a FastGelu's bias input is where a folded
  // norm's β · W goes, and the fold needs each value's readers to be the live ones.
  const gelus = fuseTanhGelu(proto);
  pruneToOutput(proto, OUTPUT);
  let norms = 0;
  let splits = 0;
  if (options.denseRewrites !== false) {
    norms = foldNormAffine(proto);
    pruneToOutput(proto, OUTPUT);
    splits = splitDenseColumns(proto, inferShapes(proto.graph!, { [INPUT]: nchw.shape }));
    pruneToOutput(proto, OUTPUT);
  }
  return {
    onnx: onnx.ModelProto.encode(proto).finish(),
    report: { folded, emitted, gelus, norms, splits },
  };
}

function emit(node: TfNode, inputs: readonly Value[], e: OnnxEmitter): Value {
  const emitter = EMITTERS[node.op];
  if (!emitter) throw new Error(`${node.name}: no ONNX for ${node.op} on computed inputs`);
  return emitter(node, inputs, e);
}
