// Pure pixel maths on typed arrays: no DOM, Node or onnxruntime, no I/O, no per-pixel allocation.
export * from './rect';
export * from './tensor';
export * from './tiles';
export * from './feather';
export * from './harmonise';
export * from './resize';
export * from './alpha';
export * from './matte';
export * from './orientation';
export * from './trig';
export * from './resample-kernels';
export * from './resample';
export * from './crop';
export * from './pad';
export * from './straighten';
export * from './mask-region';
