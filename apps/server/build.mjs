// Bundles the server and the inference child into dist/ so `pnpm start` is `node dist/server.js`.
// npm packages stay external (native addons: sharp, onnxruntime-node); @loupe/shared is TypeScript
// source inside the workspace, so it is bundled in.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const externalPackagesExceptShared = {
  name: 'external-packages-except-shared',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@loupe/shared') ? undefined : { path: args.path, external: true },
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
  plugins: [externalPackagesExceptShared],
  logLevel: 'info',
});
