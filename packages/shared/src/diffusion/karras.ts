import { linspace } from './numpy-like';

/**
 * The noise levels of Karras et al. 2022 ("Elucidating the Design Space of Diffusion-Based
 * Generative Models", eq. 5): n levels from σ_max down to σ_min, evenly spaced in σ^(1/ρ), which
 * spends more steps at low noise. No trailing zero: the sampler appends the final level.
 *
 * @example karrasSigmas(3, 0.0292, 14.6146) // [14.6146…, 1.2745…, 0.0292…]
 */
export function karrasSigmas(n: number, sigmaMin: number, sigmaMax: number, rho = 7): number[] {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`karrasSigmas: n must be a whole number ≥ 1, got ${n}`);
  if (!(sigmaMin > 0 && sigmaMax >= sigmaMin))
    throw new RangeError(
      `karrasSigmas: need 0 < sigmaMin ≤ sigmaMax, got ${sigmaMin} and ${sigmaMax}`,
    );
  const minInv = sigmaMin ** (1 / rho);
  const maxInv = sigmaMax ** (1 / rho);
  // diffusers' ramp is numpy.linspace(0, 1, n), whose single point for n = 1 is 0: just σ_max.
  return linspace(0, 1, n).map((r) => (maxInv + r * (minInv - maxInv)) ** rho);
}
