/**
 * The largest side any geometry parameter may name, in pixels: PNG's and sharp's practical
 * limit is far above what LOUPE_MAX_INPUT_PIXELS lets through, so this bounds typos, not images.
 */
export const MAX_SIDE = 65535;

/** Geometry copies or resamples pixels in JS: no model, a few passes over the RGBA. */
export const GEOMETRY_COST = { flopsPerInputPixel: 0, bytesPerInputPixel: 16 } as const;
