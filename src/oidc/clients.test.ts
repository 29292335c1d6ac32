import { describe, expect, it } from 'vitest';
import type { ProviderClient } from '../directory/integrations.ts';
import { ClientCache } from './clients.ts';

const client = (clientId: string, name = 'Records') => ({ clientId, name }) as ProviderClient;

/** A cache over a registry the test changes, counting its reads. */
function cacheOver(registry: Map<string, ProviderClient>, keepMs = 60_000) {
  const reads: string[] = [];
  const cache = new ClientCache(async (id) => {
    reads.push(id);
    return registry.get(id) ?? null;
  }, keepMs);
  return { cache, reads };
}

describe('ClientCache', () => {
  it('reads a system once while it is kept, and again after a change is heard', async () => {
    const registry = new Map([['a', client('a')]]);
    const { cache, reads } = cacheOver(registry);
    expect((await cache.find('a'))?.name).toBe('Records');
    expect((await cache.find('a'))?.name).toBe('Records');
    expect(reads).toEqual(['a']);
    registry.set('a', client('a', 'Renamed'));
    cache.forget();
    expect((await cache.find('a'))?.name).toBe('Renamed');
    expect(reads).toEqual(['a', 'a']);
  });

  it('keeps no unknown client id: every one is read', async () => {
    const { cache, reads } = cacheOver(new Map());
    expect(await cache.find('nobody')).toBeNull();
    expect(await cache.find('nobody')).toBeNull();
    expect(reads).toEqual(['nobody', 'nobody']);
  });

  it('does not keep a read begun before a change', async () => {
    const registry = new Map([['a', client('a')]]);
    const { cache, reads } = cacheOver(registry);
    const before = cache.find('a');
    cache.forget();
    await before;
    await cache.find('a');
    expect(reads).toEqual(['a', 'a']);
  });

  it('reads again once its time is up, change or not', async () => {
    const { cache, reads } = cacheOver(new Map([['a', client('a')]]), 0);
    await cache.find('a');
    await cache.find('a');
    expect(reads).toEqual(['a', 'a']);
  });
});
