import sharp from 'sharp';
import { startServer, postEdit } from './lib/server-process';
import { photoRgb } from './lib/images';
const s = await startServer();
try {
  const img = await photoRgb(128, 128);
  const png = new Uint8Array(await sharp(img.data, { raw: { width: 128, height: 128, channels: 3 } }).png().toBuffer());
  for (let i = 0; i < 3; i++) { const t0 = performance.now(); const r = await postEdit(s.url, png, 'image/png', 'upscale', { model: 'slim', scale: 2 }); console.log(r.status, r.bytes, performance.now() - t0); }
  await Promise.all([1,2,3,4].map(() => postEdit(s.url, png, 'image/png', 'upscale', { model: 'slim', scale: 2 })));
  console.log('conc ok');
} catch (e) { console.log('ERR', e, s.stderr()); }
await s.stop();
