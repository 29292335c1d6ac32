#!/usr/bin/env node
// `npx gatehouse …` in a checkout: the command is TypeScript, run through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
