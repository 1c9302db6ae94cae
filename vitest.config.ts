import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// One test run for every package; each project keeps its own environment.
export default defineConfig({
  test: {
    // Vitest runs cores − 1 files at once: one at a time on CI's two cores, where most files
    // wait on child processes, servers and sockets rather than the CPU (a 564 s run was 361 s of
    // file time end to end). Two at a time on two cores, server and CLI files included (each
    // starts its own server on port 0 in its own temporary folder; run one after another they
    // took 266 s of CI's 486, two at a time 197 s); the tests wait on events, not clocks.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          name: 'shared',
          include: ['packages/shared/src/**/*.test.ts'],
          // The public contracts' type tests (*.test-d.ts) run through tsc.
          typecheck: {
            enabled: true,
            include: ['packages/shared/src/**/*.test-d.ts'],
            tsconfig: 'packages/shared/tsconfig.json',
          },
        },
      },
      {
        test: {
          name: 'client',
          include: ['packages/client/src/**/*.test.ts'],
          // The public contract's type tests (*.test-d.ts) run through tsc.
          typecheck: {
            enabled: true,
            include: ['packages/client/src/**/*.test-d.ts'],
            tsconfig: 'packages/client/tsconfig.json',
          },
        },
      },
      {
        test: {
          name: 'mcp',
          // Pure parts; the tools against a real server are apps/server/test/mcp.test.ts.
          include: ['packages/mcp/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'runtime-node',
          include: ['packages/runtime-node/test/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'models',
          include: ['tools/models/test/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'server',
          include: ['apps/server/test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The real `loupe` binary in its own processes, with one real server per file.
        test: {
          name: 'cli',
          include: ['apps/cli/test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'web',
          include: ['apps/web/src/**/*.test.ts', 'apps/web/build/**/*.test.ts'],
        },
      },
      // Component tests render real React into jsdom; everything else stays in plain Node.
      {
        test: { name: 'web-dom', include: ['apps/web/src/**/*.test.tsx'], environment: 'jsdom' },
      },
    ],
  },
});
