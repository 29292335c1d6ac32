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

  describe('admission at the door', () => {
    it('admits strangers until as many sign-ins are in progress as it could hash in time, then refuses them', () => {
      const gate = new HashingGate({ concurrency: 2, queueLimit: 3 });
      for (let i = 0; i < 5; i++) expect(gate.admit()).toBe(true);
      expect(gate.inProgress).toBe(5);
      expect(gate.refusesStrangers()).toBe(true);
      expect(gate.admit()).toBe(false);
      expect(gate.inProgress).toBe(5);
      gate.release();
      expect(gate.refusesStrangers()).toBe(false);
      expect(gate.admit()).toBe(true);
    });

    it('always admits a known browser, and counts it', () => {
      const gate = new HashingGate({ concurrency: 1, queueLimit: 0 });
      expect(gate.admit()).toBe(true);
      expect(gate.admit()).toBe(false);
      expect(gate.admit(true)).toBe(true);
      expect(gate.admit(true, true)).toBe(true);
      expect(gate.inProgress).toBe(3);
    });

    it('refuses strangers while the process is saturated only if hashes are queueing', async () => {
      const gate = new HashingGate({ concurrency: 1, queueLimit: 100 });
      expect(gate.admit(false, true)).toBe(true);
      gate.release();
      const hold = deferred();
      const running = gate.run(() => hold.promise);
      expect(gate.refusesStrangers(true)).toBe(false); // hashing, but nobody waiting
      const queued = gate.run(async () => {});
      expect(gate.refusesStrangers(true)).toBe(true);
      expect(gate.admit(false, true)).toBe(false);
      expect(gate.refusesStrangers(false)).toBe(false);
      hold.resolve();
      await Promise.all([running, queued]);
      expect(gate.refusesStrangers(true)).toBe(false);
    });

    it('never counts below zero when released more often than admitted', () => {
      const gate = new HashingGate({ concurrency: 1, queueLimit: 0 });
      gate.release();
      expect(gate.inProgress).toBe(0);
      expect(gate.admit()).toBe(true);
    });
  });
});
