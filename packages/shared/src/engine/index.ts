export * from './model-runner';
export * from './inpainter';
export * from './execute';
export * from './tiling';
export * from './ep-tile-size';
export type { InputMemo, StepContext } from './context';
export { OP_ENGINES, type OpEngine } from './ops';
export * from './host';
