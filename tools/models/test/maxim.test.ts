import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageDir } from '../src/manifest/package-info';
import { onnx } from '../src/onnx/graph-builder';
import { MAXIM_TASKS, buildMaxim, maximPackage, type MaximBuild } from '../src/tfjs-graph/maxim';
import { runImageModel } from './support/onnx-image-run';
import { maxAbsDifference, psnr } from './support/psnr';
import { crop, readOpaqueRgb, toBytes, type RgbImage } from './support/rgb-image';
import { runPackageGraph } from './support/tfjs-graph-reference';

const MIN_PSNR_DB = 60;
/**
 * The smallest size the graphs take (divisible by 64). The converter is the same at every
 * size (only the folded shape arithmetic differs); 64² keeps tfjs's run to seconds. Measured
 * once by hand on a fixture window at larger sizes: 128² 81.8 dB, 256² (the built tile) 83.5 dB.
 */
const SIDE = 64;
/** How many nodes of each op type a package's TF graph has (model.json's topology). */
async function tfOpCounts(pkg: string): Promise<Map<string, number>> {
  const json = JSON.parse(
    await readFile(join(packageDir(pkg), 'models', 'model.json'), 'utf8'),
  ) as {
    modelTopology: { node: { op: string; input: string[] }[] };
    weightsManifest: { weights: { name: string; shape: number[] }[] }[];
  };
  const shapes = new Map(
    json.weightsManifest.flatMap((g) => g.weights.map((w) => [w.name, w.shape])),
  );
  const counts = new Map<string, number>();
  const add = (op: string) => counts.set(op, (counts.get(op) ?? 0) + 1);
  for (const n of json.modelTopology.node) {
    add(n.op);
    const filter = n.op === 'Conv2D' ? shapes.get(n.input[1]!) : undefined;
    if (filter?.[0] === 1 && filter[1] === 1) add('Conv2D 1×1');
  }
  return counts;
}

/** NCHW planes of 0..1 values → NHWC, the layout the TF graph takes. */
function toNhwc(planes: Float32Array, n: number): Float32Array {
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) out[3 * i + c] = planes[c * n + i]!;
  return out;
}

describe.each(MAXIM_TASKS)('maxim-%s converted from its package', (TASK) => {
  let model: MaximBuild;
  let window: RgbImage;

  beforeAll(async () => {
    model = await buildMaxim(TASK, SIDE);
    const fixture = await readOpaqueRgb(
      join(packageDir(maximPackage(TASK)), 'assets', 'fixture.png'),
    );
    // A textured window of the package's own 340² fixture (its centre, away from flat sky).
    window = crop(fixture, 138, 138, SIDE, SIDE);
  });

  it('equals TensorFlow.js running the package graph on its fixture', async () => {
    const n = SIDE * SIDE;
    const input = window.data.map((v) => v / 255);
    const reference = await runPackageGraph(maximPackage(TASK), {
      data: toNhwc(input, n),
      height: SIDE,
      width: SIDE,
    });
    const ours = await runImageModel(model.onnx, { data: input, dims: [1, 3, SIDE, SIDE] });
    expect(ours.dims).toEqual([1, 3, SIDE, SIDE]);
    const oursNhwc = toNhwc(ours.data, n);
    const db = psnr(toBytes(oursNhwc, 255), toBytes(reference.data, 255));
    console.log(
      `maxim-${TASK} ${SIDE}²: ${Number.isFinite(db) ? `${db.toFixed(2)} dB` : '∞ dB (identical bytes)'} PSNR (8-bit) against tfjs 4.11 wasm, ` +
        `max |Δ| ${maxAbsDifference(oursNhwc, reference.data).toExponential(2)} (0..1 scale)`,
    );
    expect(db).toBeGreaterThanOrEqual(MIN_PSNR_DB);
    // The model changes the image: equal outputs are not equal inputs passed through.
    expect(psnr(toBytes(input, 255), toBytes(reference.data, 255))).toBeLessThan(40);
  });

  it('is a static NCHW graph of plain ONNX ops with every shape computation folded away', async () => {
    const graph = onnx.ModelProto.decode(model.onnx).graph!;
    const dims = (v: onnx.IValueInfoProto) =>
      v.type!.tensorType!.shape!.dim!.map((d) => Number(d.dimValue));
    expect(graph.input!.map((i) => [i.name, dims(i)])).toEqual([['input', [1, 3, SIDE, SIDE]]]);
    expect(graph.output!.map((o) => [o.name, dims(o)])).toEqual([['output', [1, 3, SIDE, SIDE]]]);
    const ops = new Set(graph.node!.map((n) => n.opType!));
    for (const gone of ['Shape', 'Range', 'Cast', 'Einsum', 'ConstantOfShape'])
      expect(ops).not.toContain(gone);
    expect(model.folded).toBeGreaterThan(5_000);
    // Every convolution, transposed convolution and einsum of model.json is there: a 1×1 conv
    // as a MatMul over NHWC channels, the rest as Conv (3-stage deblurring and denoising: 109 Conv,
    // 18 ConvTranspose, 732 einsums + 216 pointwise MatMul; 70, 12, 464 + 140 for the rest), and
    // each dense layer split at its slices is one MatMul more (186 and 120: onnx/split-dense-columns.ts).
    const count = (op: string) => graph.node!.filter((n) => n.opType === op).length;
    // Each einsum contracts where its data lies: no Transpose feeds a MatMul (MAXIM's gMLP
    // swapaxes around its spatial dense layers cancel; 288 did in the deblurring graph).
    const transposed = new Set(
      graph.node!.filter((n) => n.opType === 'Transpose').map((n) => n.output![0]),
    );
    expect(
      graph.node!.filter((n) => n.opType === 'MatMul' && n.input!.some((i) => transposed.has(i))),
    ).toEqual([]);
    const tf = await tfOpCounts(maximPackage(TASK));
    const pointwise = tf.get('Conv2D 1×1')!;
    expect(pointwise).toBeGreaterThan(100);
    expect([count('Conv'), count('ConvTranspose'), count('MatMul')]).toEqual([
      tf.get('Conv2D')! - pointwise,
      tf.get('Conv2DBackpropInput'),
      tf.get('Einsum')! + pointwise + model.splits,
    ]);
    // The norms' γ and β went into the dense layers after them, and the gMLP splits are gone.
    expect(model.norms).toBeGreaterThan(100);
    expect(model.splits).toBeGreaterThan(100);
    expect(count('Slice')).toBe(0);
  });
});
