#!/usr/bin/env node
// `npx prepbot …` runs the TypeScript CLI directly through tsx: no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
