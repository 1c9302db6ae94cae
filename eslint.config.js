// One lint config for the whole workspace. The import rules encode the layering
// described in STYLE.md: shared imports no runtime, apps never import each other,
// and exactly one module per runtime imports onnxruntime.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const restrict = (patterns) => ['error', { patterns }];
// Globals that exist in only one of the runtimes packages/client must work in.
const BROWSER_ONLY = [
  'window',
  'document',
  'navigator',
  'location',
  'localStorage',
  'sessionStorage',
  'EventSource',
  'XMLHttpRequest',
  'self',
];
const NODE_ONLY = [
  'process',
  'Buffer',
  'require',
  '__dirname',
  '__filename',
  'global',
  'setImmediate',
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'public/**',
      'test-results/**',
      'playwright-report/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', 'scripts/**', 'apps/server/build.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['packages/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        {
          group: [
            'node:*',
            'fs',
            'path',
            'sharp',
            'onnxruntime-*',
            'react',
            'react-dom',
            'fastify',
            '@loupe/*',
          ],
          message: 'packages/shared is runtime-free: no Node, DOM, onnxruntime or app imports.',
        },
      ]),
    },
  },
  {
    // The client runs in browsers, Node and the CLI/MCP server: fetch and friends only.
    files: ['packages/client/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        {
          group: [
            'node:*',
            'fs',
            'path',
            'sharp',
            'onnxruntime-*',
            'react',
            'react-dom',
            'fastify',
            '@loupe/*',
            '!@loupe/shared',
            '**/apps/**',
          ],
          message:
            'packages/client imports @loupe/shared and zod only: no Node, DOM or app imports.',
        },
      ]),
      'no-restricted-globals': [
        'error',
        ...BROWSER_ONLY.map((name) => ({
          name,
          message: 'Browser-only: the client runs in Node too.',
        })),
        ...NODE_ONLY.map((name) => ({
          name,
          message: 'Node-only: the client runs in browsers too.',
        })),
      ],
    },
  },
  {
    files: ['apps/server/**/*.ts'],
    ignores: ['apps/server/src/inference/ort.ts'],
    rules: {
      'no-restricted-imports': restrict([
        {
          group: ['onnxruntime-*'],
          message: 'Only apps/server/src/inference/ort.ts imports onnxruntime-node.',
        },
        {
          group: ['@loupe/web', '**/apps/web/**'],
          message: 'Apps import shared, never each other.',
        },
      ]),
    },
  },
  {
    // A missing hook dependency once left the WebGPU/WASM choice stale (caught by e2e).
    files: ['apps/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    ignores: ['apps/web/src/inference/ort.ts'],
    rules: {
      'no-restricted-imports': restrict([
        {
          group: ['onnxruntime-*'],
          message: 'Only apps/web/src/inference/ort.ts imports onnxruntime-web.',
        },
        {
          group: ['@loupe/server', '**/apps/server/**'],
          message: 'Apps import shared, never each other.',
        },
      ]),
    },
  },
);
