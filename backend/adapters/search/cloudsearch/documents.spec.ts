import { describe, expect, it } from 'vitest';
import type { IndexedTrack } from '../../../domain/search';
import { searchTerms } from '../../../domain/search-text';
import { catalogDocuments, documentId, parseDocumentId, recordOf } from './documents';

const track: IndexedTrack = {
  id: 'tr_1',
  title: "Don't Stop (Live at Røskilde)",
  artist: 'Sigur Rós',
  artistId: 'ar_1',
  album: 'Ágætis byrjun',
  albumId: 'al_1',
  durationMs: 1000,
};

describe('CloudSearch documents', () => {
  it('indexes each name as shown, for the suggesters, and as the folded words searches match', () => {
    const [trackDoc, albumDoc, artistDoc] = catalogDocuments([track]);
    expect(trackDoc!.fields).toMatchObject({
      title: track.title,
      title_words: 'dont stop live at roskilde',
      artist: 'Sigur Rós',
      artist_words: 'sigur ros',
      album_words: 'agaetis byrjun',
      kind: 'track',
    });
    // The domain splits the words field on spaces only: it holds exactly the words the ranking compares.
    expect(trackDoc!.fields.title_words!.split(' ')).toEqual(searchTerms(track.title));
    expect(albumDoc!.fields).toMatchObject({
      album: 'Ágætis byrjun',
      album_words: 'agaetis byrjun',
      artist_words: 'sigur ros',
      kind: 'album',
    });
    expect(albumDoc!.fields).not.toHaveProperty('title_words');
    expect(artistDoc!.fields).toEqual(expect.objectContaining({ artist_words: 'sigur ros', kind: 'artist' }));
    expect(recordOf(artistDoc!.fields)).toMatchObject({ id: 'ar_1', name: 'Sigur Rós', trackCount: 1 });
  });

  it('round-trips document ids, whatever the entity id holds', () => {
    expect(parseDocumentId(documentId('album', 'al:x'))).toEqual({ kind: 'album', id: 'al:x' });
    expect(parseDocumentId('playlist:1')).toBeUndefined();
    expect(parseDocumentId('track:')).toBeUndefined();
  });
});
