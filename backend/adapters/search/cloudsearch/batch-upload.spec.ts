import { describe, expect, it } from 'vitest';
import { toBatches } from './batch-upload';
import { catalogDocuments, parseDocumentId } from './documents';

const track = (n: number, album = 'al_1') => ({
  id: `tr_${n}`,
  title: `Song ${n}`,
  artist: 'Björk',
  artistId: 'ar_1',
  album: 'Homogenic',
  albumId: album,
  durationMs: 1000,
});

describe('toBatches', () => {
  it('keeps every batch under the byte limit and loses nothing', () => {
    const operations = Array.from({ length: 1000 }, (_, i) => ({
      type: 'add' as const,
      id: `track:${i}`,
      fields: { title: 'é'.repeat(500) },
    }));
    const batches = toBatches(operations, 64 * 1024);
    expect(batches.length).toBeGreaterThan(10);
    for (const batch of batches) expect(Buffer.byteLength(batch)).toBeLessThan(64 * 1024);
    expect(batches.flatMap((b) => JSON.parse(b) as unknown[])).toHaveLength(1000);
  });

  it('refuses a single document larger than a batch', () => {
    expect(() => toBatches([{ type: 'add', id: 'x', fields: { title: 'x'.repeat(100) } }], 50)).toThrow(/larger than a whole batch/);
  });
});

describe('catalogDocuments', () => {
  it('derives album and artist documents with counts and typed ids', () => {
    const docs = catalogDocuments([track(1), track(2), track(3, 'al_2')]);
    expect(docs.map((d) => d.id)).toEqual(['track:tr_1', 'track:tr_2', 'track:tr_3', 'album:al_1', 'album:al_2', 'artist:ar_1']);
    expect(JSON.parse(docs.at(-1)!.fields.doc!)).toEqual({ id: 'ar_1', name: 'Björk', albumCount: 2, trackCount: 3 });
    expect(docs[3]!.fields).toMatchObject({ kind: 'album', album: 'Homogenic', sort_key: 'homogenic' });
    expect(parseDocumentId('album:al_x:y')).toEqual({ kind: 'album', id: 'al_x:y' });
    expect(parseDocumentId('playlist:1')).toBeUndefined();
  });
});
