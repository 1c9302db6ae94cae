// Generative edits on the engine: the pipeline around the diffusion core (text encoder, UNet with
// guidance, VAE), the same code in both runtimes, run through `ModelRunner.runPart`.
export * from './assets';
export * from './resolve';
export * from './diffusion-steps';
export * from './generation-context';
export { generationSteps, type GenerativeRequest } from './run-generation';
export { guidanceEmbedding } from './guidance-embedding';
export { LATENT_RGB_BIAS, LATENT_RGB_FACTORS, latentPreview } from './latent-preview';
export { blurMask, compositeMasked, paddedSize } from './pixels';
