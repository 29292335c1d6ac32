// `npm start`: the server from dist/ (src/ compiled to JavaScript), never stale: when src/ has
// changed since the last build, it builds again first (a few seconds), so that this and later
// starts run the current code at compiled speed. If that build fails, the server starts from
// the TypeScript sources through tsx instead (slower to start, the same code).
import { buildDist, distIsFresh } from './dist.js';

let entry = '../dist/src/server.js';
if (!distIsFresh()) {
  console.log('dist/ is not built from the current src/: building it (npm run build) before starting.');
  try {
    await buildDist();
  } catch (err) {
    console.log(`The build failed (${err instanceof Error ? err.message : String(err)}); starting from src/ through tsx.`);
    const { register } = await import('tsx/esm/api');
    register();
    entry = '../src/server.ts';
  }
}
await import(entry);
