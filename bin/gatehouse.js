#!/usr/bin/env node
// `npx gatehouse …` in a checkout: dist/ when it is built from the current src/ (see
// scripts/dist.js), otherwise the TypeScript through tsx (no build here: a command should not
// wait for one).
import { distIsFresh } from '../scripts/dist.js';

if (distIsFresh()) {
  await import('../dist/src/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
