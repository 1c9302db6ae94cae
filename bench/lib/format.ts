import type { Summary } from './stats';

export const ms = (v: number): string =>
  !Number.isFinite(v) ? 'n/a' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);

/** "123 ms ±4%" : the median and the interquartile range relative to it. */
export const msSpread = (s: Summary): string => `${ms(s.median)} ±${pct(s.iqrRel / 2)}`;

export const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(0)}%` : 'n/a');

/** "2.41× (2.30–2.55)" : median ratio and the range over rounds. */
export const ratio = (s: Summary): string =>
  Number.isFinite(s.median)
    ? `${s.median.toFixed(2)}× (${s.min.toFixed(2)}–${s.max.toFixed(2)})`
    : 'n/a';

export const gflops = (flopsPerSecond: number): string =>
  `${(flopsPerSecond / 1e9).toFixed(1)} GFLOP/s`;
