// `npm run build` (also run by `npm install` / `npm ci`, as "prepare"): src/ compiled to dist/.
// See scripts/dist.js.
import { buildDist } from './dist.js';

try {
  await buildDist();
} catch (err) {
  console.error(`Gatehouse could not be built: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
