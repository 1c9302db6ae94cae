import { onnx } from '../onnx/graph-builder';
import type { Layers } from './layers';

/** A CLIP text transformer's shape; `hiddenSize` ≠ `width` adds a projection (tiny fixtures only). */
export interface TextEncoderConfig {
  vocabSize: number;
  maxPositions: number;
  width: number;
  layers: number;
  heads: number;
  intermediate: number;
  /** Width of last_hidden_state, what the UNet attends to. */
  hiddenSize: number;
}

/** CLIP ViT-L/14's text encoder, SD 1.5's (123,060,480 parameters). */
export const SD15_TEXT_ENCODER: TextEncoderConfig = {
  vocabSize: 49408,
  maxPositions: 77,
  width: 768,
  layers: 12,
  heads: 12,
  intermediate: 3072,
  hiddenSize: 768,
};

/**
 * CLIPTextModel: token + position embeddings, pre-LayerNorm transformer layers with causal
 * self-attention and a quick-GELU MLP, a final LayerNorm. The pooled output is the hidden
 * state at each row's highest token id, which is end-of-text in CLIP's vocabulary.
 * `inputIds` is [B, S] int32 or int64 with S ≤ maxPositions.
 */
export function textEncoder(
  nn: Layers,
  cfg: TextEncoderConfig,
  inputIds: string,
  idsAreInt32: boolean,
): { lastHiddenState: string; pooled: string } {
  const { g } = nn;
  const { width } = cfg;
  const shape = g.node('Shape', [inputIds]);
  const length = g.node('Slice', [shape, g.int64([1]), g.int64([2])]);

  const tokens = g.node('Gather', [nn.param([cfg.vocabSize, width], 0.02), inputIds], { axis: 0 });
  const positions = g.node('Slice', [
    nn.param([cfg.maxPositions, width], 0.01),
    g.int64([0]),
    length,
    g.int64([0]),
  ]);
  let h = g.node('Add', [tokens, positions]);

  // Causal mask: a token attends to itself and the ones before it.
  const P = cfg.maxPositions;
  const mask = new Float32Array(P * P);
  for (let i = 0; i < P; i++) for (let j = i + 1; j < P; j++) mask[i * P + j] = -1e4;
  const causal = g.node('Slice', [
    nn.tensor(mask, [P, P]),
    g.int64([0, 0]),
    g.node('Concat', [length, length], { axis: 0 }),
    g.int64([0, 1]),
  ]);

  for (let layer = 0; layer < cfg.layers; layer++) {
    const normed = nn.layerNorm(h, width);
    h = g.node('Add', [
      h,
      nn.attention(normed, normed, width, width, cfg.heads, { qkvBias: true, mask: causal }),
    ]);
    const mlp = nn.linear(
      nn.quickGelu(nn.linear(nn.layerNorm(h, width), width, cfg.intermediate)),
      cfg.intermediate,
      width,
    );
    h = g.node('Add', [h, mlp]);
  }
  h = nn.layerNorm(h, width);
  if (cfg.hiddenSize !== width) h = nn.linear(h, width, cfg.hiddenSize);

  // ArgMax has no int64 kernel on every runtime: token ids fit int32.
  const ids32 = idsAreInt32 ? inputIds : nn.cast(inputIds, onnx.TensorProto.DataType.INT32);
  const endOfText = g.node('ArgMax', [ids32], { axis: -1, keepdims: 0 });
  const batch = g.node('Gather', [shape, g.int64([0], [])], { axis: 0 });
  const rows = g.node('Range', [g.int64([0], []), batch, g.int64([1], [])]);
  const flatIndex = g.node('Add', [
    endOfText,
    g.node('Mul', [rows, g.node('Gather', [shape, g.int64([1], [])], { axis: 0 })]),
  ]);
  const flat = g.node('Reshape', [h, g.int64([-1, cfg.hiddenSize])]);
  return { lastHiddenState: h, pooled: g.node('Gather', [flat, flatIndex], { axis: 0 }) };
}
