import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';
import { ortAssets } from './build/ort-assets';
import { serviceWorker } from './build/service-worker';

const SERVER = 'http://127.0.0.1:8787';

// Cross-origin isolation unlocks SharedArrayBuffer, which onnxruntime-web's threaded WASM needs.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// ortAssets serves and emits onnxruntime-web's wasm under /ort/ (no CDN); see build/ort-assets.ts.
// serviceWorker builds /sw.js, which precaches the built app for offline use; see build/service-worker.ts.
export default defineConfig({
  plugins: [
    react(),
    tailwindcss(),
    ortAssets(),
    serviceWorker({ entry: 'src/service-worker/service-worker.ts' }),
  ],
  server: {
    headers: isolationHeaders,
    proxy: Object.fromEntries(
      ['/api', '/models', '/health', '/ready'].map((p) => [p, { target: SERVER }]),
    ),
  },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' as const },
  build: { target: 'es2022' },
});
