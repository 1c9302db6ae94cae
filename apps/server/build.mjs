// Bundles the server and the inference child into dist/ so `pnpm start` is `node dist/server.js`.
// npm packages stay external (native addons: sharp, onnxruntime-node); the workspace packages
// (@loupe/shared, @loupe/runtime-node) are TypeScript source, so they are bundled in. The bundle's
// `import 'onnxruntime-node'` then resolves from apps/server, which is why package.json keeps it.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const externalPackagesExceptWorkspace = {
  name: 'external-packages-except-workspace',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@loupe/') ? undefined : { path: args.path, external: true },
    );
  },
};

rmSync(`${import.meta.dirname}/dist`, { recursive: true, force: true });
await build({
  absWorkingDir: import.meta.dirname,
  entryPoints: { server: 'src/server.ts', worker: 'src/inference/worker-main.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  plugins: [externalPackagesExceptWorkspace],
  logLevel: 'info',
});

// run() is a synchronous native call: onnxruntime-node in the HTTP process would freeze every
// request. An import of @loupe/runtime-node's root from the parent side would pull it in here.
if (readFileSync(`${import.meta.dirname}/dist/server.js`, 'utf8').includes('onnxruntime-node')) {
  throw new Error('dist/server.js imports onnxruntime-node: only the inference child may load it');
}
