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
    let clock = 0;
    const gate = new HashingGate({ concurrency: 1, maxWaitMs: 100, now: () => clock });
    const hashTaking = (ms: number) => async () => {
      clock += ms;
    };
    // Teach it that a hash takes 50 ms: then 2 may wait (100 ms of work).
    for (let i = 0; i < 60; i++) await gate.run(hashTaking(50));
    const hold = deferred();
    const first = gate.run(() => hold.promise);
    const waiting = [gate.run(async () => {}), gate.run(async () => {})];
    await expect(gate.run(async () => {})).rejects.toBeInstanceOf(HashingBusy);
    hold.resolve();
    await Promise.all([first, ...waiting]);
    // Hashes now take 100 ms: only 1 may wait.
    for (let i = 0; i < 60; i++) await gate.run(hashTaking(100));
    const hold2 = deferred();
    const second = gate.run(() => hold2.promise);
    const one = gate.run(async () => {});
    await expect(gate.run(async () => {})).rejects.toBeInstanceOf(HashingBusy);
    hold2.resolve();
    await Promise.all([second, one]);
  });

  it('serves the priority lane first, and keeps room in it when the ordinary lane is full', async () => {
    const gate = new HashingGate({ concurrency: 1, queueLimit: 2 });
    const hold = deferred();
    const order: string[] = [];
    const running = gate.run(() => hold.promise);
    const ordinary = [gate.run(async () => order.push('stranger 1')), gate.run(async () => order.push('stranger 2'))];
    await expect(gate.run(async () => {})).rejects.toBeInstanceOf(HashingBusy);
    const known = gate.run(async () => order.push('known browser'), { priority: true });
    hold.resolve();
    await Promise.all([running, ...ordinary, known]);
    expect(order).toEqual(['known browser', 'stranger 1', 'stranger 2']);
  });
});
