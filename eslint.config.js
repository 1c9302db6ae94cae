// One lint config for the whole workspace. The import rules encode the layering
// described in STYLE.md: shared imports no runtime, apps never import each other,
// exactly one module per runtime imports onnxruntime (packages/runtime-node/src/ort.ts,
// apps/web/src/inference/ort.ts), and product code reaches sharp only through
// packages/runtime-node/src/image-codec.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const restrict = (patterns) => ['error', { patterns }];
/** Node, native and UI runtimes: what the runtime-free packages (shared, client) may not import. */
const RUNTIME_IMPORTS = [
  'node:*',
  'fs',
  'path',
  'sharp',
  'onnxruntime-*',
  'react',
  'react-dom',
  'fastify',
];
// Exactly one import site per onnxruntime, across the whole tree (bench/ and tools/ included).
// Every block below that sets no-restricted-imports repeats these: a later block replaces the rule.
const ORT_NODE_SITE = 'packages/runtime-node/src/ort.ts';
const ORT_WEB_SITE = 'apps/web/src/inference/ort.ts';
const ORT_NODE_ONLY = {
  group: ['onnxruntime-node', 'onnxruntime-node/*'],
  message: `Only ${ORT_NODE_SITE} imports onnxruntime-node: use @loupe/runtime-node.`,
};
const ORT_WEB_ONLY = {
  group: ['onnxruntime-web', 'onnxruntime-web/*'],
  message: `Only ${ORT_WEB_SITE} imports onnxruntime-web.`,
};
// sharp (libvips) has one home in product code, the image codec both server processes import.
// Tests, e2e fixtures and the bench call it directly to make and inspect images: an oracle that
// does not go through the codec it checks. A separate rule name, so it layers on the blocks that
// set no-restricted-imports instead of replacing them.
const SHARP_SITE = 'packages/runtime-node/src/image-codec/**';
const SHARP_USERS = ['**/test/**', '**/*.test.{ts,tsx}', 'e2e/**', 'bench/**'];
/** What the web app may never import (the onnxruntime-web site itself aside). */
const WEB_IMPORTS = [
  ORT_NODE_ONLY,
  ORT_WEB_ONLY,
  {
    group: ['@loupe/server', '**/apps/server/**'],
    message: 'Apps import shared, never each other.',
  },
];
const MCP_RUNTIME = 'packages/mcp uses @loupe/runtime-node/image-codec only: no onnxruntime here.';
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
    files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    ignores: [ORT_NODE_SITE, ORT_WEB_SITE],
    rules: { 'no-restricted-imports': restrict([ORT_NODE_ONLY, ORT_WEB_ONLY]) },
  },
  {
    files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    ignores: [SHARP_SITE, ...SHARP_USERS],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict([
        {
          group: ['sharp', 'sharp/*'],
          message: `Only ${SHARP_SITE} imports sharp: use @loupe/runtime-node/image-codec.`,
        },
      ]),
    },
  },
  { files: [ORT_NODE_SITE], rules: { 'no-restricted-imports': restrict([ORT_WEB_ONLY]) } },
  { files: [ORT_WEB_SITE], rules: { 'no-restricted-imports': restrict([ORT_NODE_ONLY]) } },
  {
    // The runtime sits below the apps: it imports @loupe/shared, never an app.
    files: ['packages/runtime-node/**/*.ts'],
    ignores: [ORT_NODE_SITE],
    rules: {
      'no-restricted-imports': restrict([
        ORT_NODE_ONLY,
        ORT_WEB_ONLY,
        {
          group: ['@loupe/server', '@loupe/web', '@loupe/client', '**/apps/**'],
          message: 'packages/runtime-node imports @loupe/shared only, never an app.',
        },
      ]),
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
          group: [...RUNTIME_IMPORTS, '@loupe/*'],
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
          group: [...RUNTIME_IMPORTS, '@loupe/*', '!@loupe/shared', '**/apps/**'],
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
    // The MCP server goes through the client, never around it; of the runtime only the image
    // codec (sharp, for previews): the root would bring onnxruntime into the HTTP process.
    files: ['packages/mcp/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@loupe/runtime-node', message: MCP_RUNTIME }],
          patterns: [
            ORT_NODE_ONLY,
            ORT_WEB_ONLY,
            {
              group: ['@loupe/server', '@loupe/web', '**/apps/**'],
              message: 'packages/mcp imports packages, never an app.',
            },
            {
              group: ['@loupe/runtime-node/*', '!@loupe/runtime-node/image-codec'],
              message: MCP_RUNTIME,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/server/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        ORT_NODE_ONLY,
        ORT_WEB_ONLY,
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
    ignores: [ORT_WEB_SITE],
    rules: { 'no-restricted-imports': restrict(WEB_IMPORTS) },
  },
  {
    // The web app's layers: features sit on top of services, stores, api and inference, never
    // below them (queries and the editor store once imported features, and each change rippled).
    files: ['apps/web/src/{services,stores,api,inference,lib,ui,service-worker}/**/*.{ts,tsx}'],
    ignores: [ORT_WEB_SITE],
    rules: {
      'no-restricted-imports': restrict([
        ...WEB_IMPORTS,
        {
          group: ['**/features/**', '**/app/**'],
          message:
            'services, stores, api, inference, lib, ui and the service worker never import features or app.',
        },
      ]),
    },
  },
);
