// CPU profiles of a window of a benchmark, not of the whole process: with BENCH_PROFILE_DIR
// set, each SIGUSR2 starts the V8 profiler or, when it runs, stops it and writes
// <dir>/<n>.cpuprofile (n = 1, 2, …). The same format as node --cpu-prof.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

export function profileOnSignal(): void {
  const dir = process.env.BENCH_PROFILE_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  let running = false;
  let n = 0;
  let busy = Promise.resolve();
  process.on('SIGUSR2', () => {
    busy = busy.then(async () => {
      if (!running) {
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 500 });
        await session.post('Profiler.start');
        running = true;
        return;
      }
      const { profile } = await session.post('Profiler.stop');
      running = false;
      const file = path.join(dir, `${++n}.cpuprofile`);
      writeFileSync(`${file}.tmp`, JSON.stringify(profile));
      renameSync(`${file}.tmp`, file); // appears whole
    });
  });
}
