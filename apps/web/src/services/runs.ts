import { api } from '../api/client';
import { diffusionFilesUrl } from '../api/diffusion-files';
import { decodeToRgba } from '../lib/image-canvas';
import { encodePng } from '../lib/png';
import { browserInference } from './browser-inference';
import { createRunService } from './run-service';
import { throughput } from './throughput';

/**
 * This tab's run service: the tab's inference worker, the same-origin server, lossless PNG
 * between them, and this browser's throughput store learning from every run.
 */
export const runs = createRunService({
  browser: browserInference,
  api,
  encode: encodePng,
  decode: decodeToRgba,
  throughput,
  diffusionFilesUrl,
});
