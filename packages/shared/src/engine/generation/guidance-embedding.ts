/**
 * The guidance embedding an LCM UNet takes as `timestep_cond`: diffusers'
 * `get_guidance_scale_embedding` (after the VDM paper's sinusoidal embedding) of w = guidance − 1,
 * as its LatentConsistencyModelPipeline computes it: w·1000 times frequencies
 * 10000^(−k/(half − 1)), sines then cosines, zero-padded to an odd width.
 *
 * @example guidanceEmbedding(8.5, 256) // Float32Array(256)
 */
export function guidanceEmbedding(guidance: number, dim: number): Float32Array {
  const w = (guidance - 1) * 1000;
  const half = Math.floor(dim / 2);
  const step = Math.log(10000) / (half - 1);
  const out = new Float32Array(dim);
  for (let k = 0; k < half; k++) {
    // torch computes the frequencies and products in float32.
    const angle = Math.fround(w * Math.fround(Math.exp(-k * step)));
    out[k] = Math.sin(angle);
    out[half + k] = Math.cos(angle);
  }
  return out;
}
