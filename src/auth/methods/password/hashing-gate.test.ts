import { describe, expect, it } from 'vitest';
import { HashingBusy, HashingGate } from './hashing-gate.ts';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the hashing gate', () => {
  it('never runs more hashes at once than its concurrency', async () => {
    const gate = new HashingGate({ concurrency: 2, queueLimit: 100 });
    let running = 0;
    let peak = 0;
    const work = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    };
    await Promise.all(Array.from({ length: 20 }, () => gate.run(work)));
    expect(peak).toBe(2);
    expect(gate.completed).toBe(20);
  });

  it('refuses with HashingBusy once the queue is full, instead of queueing without end', async () => {
    const gate = new HashingGate({ concurrency: 1, queueLimit: 2 });
    const hold = deferred();
    const running = [gate.run(() => hold.promise), gate.run(async () => {}), gate.run(async () => {})];
    await expect(gate.run(async () => {})).rejects.toBeInstanceOf(HashingBusy);
    expect(gate.queued).toBe(2);
    hold.resolve();
    await Promise.all(running);
    await expect(gate.run(async () => 'ok')).resolves.toBe('ok');
  });

  it('frees its slot when the work fails', async () => {
    const gate = new HashingGate({ concurrency: 1, queueLimit: 0 });
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(async () => 1)).resolves.toBe(1);
  });

  it('sizes its queue by time when no length is set: slower hashes, shorter queue', async () => {
    const gate = new HashingGate({ concurrency: 1, maxWaitMs: 125 });
    // Teach it that a hash takes ~50 ms: then about 2 may wait.
    for (let i = 0; i < 30; i++) await gate.run(() => new Promise((r) => setTimeout(r, 50)));
    const hold = deferred();
    const first = gate.run(() => hold.promise);
    const waiting = [gate.run(async () => {}), gate.run(async () => {})];
    await expect(gate.run(async () => {})).rejects.toBeInstanceOf(HashingBusy);
    hold.resolve();
    await Promise.all([first, ...waiting]);
  });
});
