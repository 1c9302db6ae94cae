import { api } from '../api/client';
import { decodeToRgba } from '../lib/image-canvas';
import { encodePng } from '../lib/png';
import { browserInference } from './browser-inference';
import { createRunService } from './run-service';

/** This tab's run service: the tab's inference worker, the same-origin server, lossless PNG between them. */
export const runs = createRunService({
  browser: browserInference,
  api,
  encode: encodePng,
  decode: decodeToRgba,
});
