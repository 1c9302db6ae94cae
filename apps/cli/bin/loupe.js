#!/usr/bin/env node
// The workspace packages are TypeScript source (as the server's dev mode runs them): tsx's loader
// runs them here without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
