import { describe, expect, it, vi } from 'vitest';
import type { TrackRecord } from '../../domain/catalog';
import type { CatalogRepository } from '../../domain/ports';
import { trackLookups } from './track-lookups';

const track = (id: string) => ({ id, contentHash: `hash-${id}` }) as TrackRecord;

function catalogWith(ids: string[]) {
  const getTracks = vi.fn(async (asked: readonly string[]) => asked.filter((id) => ids.includes(id)).map(track));
  return { catalog: { getTracks } as unknown as CatalogRepository, getTracks };
}

describe('trackLookups', () => {
  it('answers each lookup with its own track, or undefined when the catalog has none', async () => {
    const { catalog, getTracks } = catalogWith(['b', 'd']);
    const lookups = trackLookups(catalog);
    const found = await Promise.all(['a', 'b', 'c', 'd'].map(lookups.get));
    expect(found).toEqual([undefined, track('b'), undefined, track('d')]);
    expect(getTracks).toHaveBeenCalledOnce();
  });

  it('asks at most `size` ids per call', async () => {
    const { catalog, getTracks } = catalogWith([]);
    const lookups = trackLookups(catalog, { size: 2, lingerMs: 0 });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map(lookups.get));
    expect(getTracks.mock.calls.map(([ids]) => ids)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('fails only the lookups of a failed call', async () => {
    const { catalog, getTracks } = catalogWith(['b']);
    getTracks.mockRejectedValueOnce(new Error('ProvisionedThroughputExceededException'));
    const lookups = trackLookups(catalog, { size: 1, lingerMs: 0 });
    const [a, b] = await Promise.allSettled([lookups.get('a'), lookups.get('b')]);
    expect(a).toMatchObject({ status: 'rejected', reason: new Error('ProvisionedThroughputExceededException') });
    expect(b).toEqual({ status: 'fulfilled', value: track('b') });
  });
});
