// Generative edits' pure core: schedulers after diffusers' definitions, the sampler, seeded noise,
// parameters and CLIP tokenization. No model here: the engine supplies the denoiser.
export * from './schedulers';
export * from './scheduler-config';
export * from './karras';
export * from './training-schedule';
export * from './sampling-plan';
export * from './noise';
export * from './unet-denoiser';
export * from './sampler';
export * from './params';
export * from './clip-tokenizer';
export * from './sd-parameters';
