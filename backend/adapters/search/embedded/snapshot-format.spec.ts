import { describe, expect, it } from 'vitest';
import type { IndexedTrack } from '../../../domain/search';
import { CatalogIndex } from './catalog-index';
import { decodeSnapshot, type SnapshotFormat2 } from './snapshot-format';

const track = (id: string, title: string, extra: Partial<IndexedTrack> = {}): IndexedTrack => ({
  id,
  title,
  artist: 'Björk',
  artistId: 'ar_bjork',
  album: 'Homogenic',
  albumId: 'al_homogenic',
  durationMs: 1000,
  ...extra,
});

/** A published snapshot as a reader parses it. */
function published(): SnapshotFormat2 {
  const index = CatalogIndex.empty();
  index.upsert([track('t1', 'Jóga', { trackNumber: 1, genre: 'Pop' }), track('t2', 'Hunter', { durationMs: 3_000_000_000 })]);
  return JSON.parse(JSON.stringify(index.toSnapshot())) as SnapshotFormat2;
}

/** The error `decodeSnapshot` throws for `snapshot`. */
function refusal(snapshot: unknown): Error {
  try {
    decodeSnapshot(snapshot);
  } catch (error) {
    expect(error).not.toBeInstanceOf(TypeError);
    return error as Error;
  }
  throw new Error('the snapshot was accepted');
}

const packed = (values: number[]) => Buffer.from(new Int32Array(values).buffer).toString('base64');

describe('decodeSnapshot', () => {
  it('reads what was published, extra fields included', () => {
    const decoded = decodeSnapshot(published());
    if (!('columns' in decoded)) throw new Error('expected columns');
    expect(decoded.columns.tracks.id).toEqual(['t1', 't2']);
    expect(decoded.columns.tracks.extra).toEqual({ 1: { durationMs: 3_000_000_000 } });
  });

  it('refuses what is not a snapshot, or of an unknown format', () => {
    expect(refusal(null).message).toBe('search snapshot: the snapshot is not an object');
    expect(refusal([]).message).toBe('search snapshot: the snapshot is not an object');
    expect(refusal({ format: 3 }).message).toBe('search snapshot: unsupported format 3');
  });

  it('names a missing or garbled field instead of failing on it later', () => {
    const { tracks, ...withoutTracks } = published();
    expect(refusal(withoutTracks).message).toBe('search snapshot: tracks is not an object');
    const { title: _title, ...withoutTitles } = tracks;
    expect(refusal({ ...published(), tracks: withoutTitles }).message).toBe('search snapshot: tracks.title is not a packed column');
    expect(refusal({ ...published(), tracks: { ...tracks, genre: { values: ['Pop'] } } }).message).toBe(
      'search snapshot: tracks.genre.refs is not a packed column',
    );
    expect(refusal({ ...published(), tracks: { ...tracks, id: ['t1', 2] } }).message).toBe(
      'search snapshot: tracks.id is not a list of strings',
    );
    expect(refusal({ ...published(), wordIds: 'AAA' }).message).toBe(
      'search snapshot: a packed column is not a whole number of 32-bit values',
    );
  });

  it('wants words as sorted, distinct strings, and texts as strings', () => {
    const snapshot = published();
    expect(refusal({ ...snapshot, words: [1, ...snapshot.words.slice(1)] }).message).toBe(
      'search snapshot: words is not a list of strings',
    );
    expect(refusal({ ...snapshot, words: [...snapshot.words].reverse() }).message).toBe('search snapshot: words are not sorted and unique');
    const repeated = [...snapshot.words];
    repeated[1] = repeated[0]!;
    expect(refusal({ ...snapshot, words: repeated }).message).toBe('search snapshot: words are not sorted and unique');
    expect(refusal({ ...snapshot, texts: snapshot.texts.map((text, i) => (i === 0 ? { text } : text)) }).message).toBe(
      'search snapshot: texts is not a list of strings',
    );
  });

  it('refuses references beyond their tables', () => {
    const snapshot = published();
    expect(refusal({ ...snapshot, tracks: { ...snapshot.tracks, albumRow: packed([0, 7]) } }).message).toBe(
      'search snapshot: track album rows refers beyond its table',
    );
    expect(refusal({ ...snapshot, tracks: { ...snapshot.tracks, genre: { values: [], refs: packed([0, -1]) } } }).message).toBe(
      'search snapshot: track genres refers beyond its values',
    );
  });

  it('lets extra fields complete a track, never replace its columns', () => {
    const snapshot = published();
    const withExtra = (extra: unknown) => ({ ...snapshot, tracks: { ...snapshot.tracks, extra } });
    expect(decodeSnapshot(withExtra({ 0: { mood: 'dark' } }))).toMatchObject({ columns: { tracks: { extra: { 0: { mood: 'dark' } } } } });
    expect(refusal(withExtra({ 0: { id: 'other' } })).message).toBe('search snapshot: tracks.extra.0 overrides id');
    expect(refusal(withExtra({ 1: { title: 'Other' } })).message).toBe('search snapshot: tracks.extra.1 overrides title');
    expect(refusal(withExtra({ 0: { genre: 'Rock' } })).message).toBe('search snapshot: tracks.extra.0 overrides genre');
    // Track 1 has a track number in its column; track 2's duration is beyond 32 bits, so in extra.
    expect(refusal(withExtra({ 0: { trackNumber: 2 } })).message).toBe('search snapshot: tracks.extra.0 overrides trackNumber');
    expect(refusal(withExtra({ 1: { durationMs: 'long' } })).message).toBe('search snapshot: tracks.extra.1 overrides durationMs');
    expect(refusal(withExtra(JSON.parse('{"0": {"__proto__": {"id": "other"}}}'))).message).toBe(
      'search snapshot: tracks.extra.0 overrides __proto__',
    );
    expect(refusal(withExtra({ 2: { mood: 'dark' } })).message).toBe('search snapshot: tracks.extra has a row 2 beyond the tracks');
    expect(refusal(withExtra({ 0: 'dark' })).message).toBe('search snapshot: tracks.extra.0 is not an object');
  });

  it('reads the first format only with the fields every track has', () => {
    expect(decodeSnapshot({ format: 1, tracks: [track('t1', 'Jóga')] })).toEqual({ tracks: [track('t1', 'Jóga')] });
    expect(refusal({ format: 1 }).message).toBe('search snapshot: tracks is not a list');
    expect(refusal({ format: 1, tracks: [{ ...track('t1', 'Jóga'), title: 7 }] }).message).toBe(
      'search snapshot: tracks[0].title is not a string',
    );
  });
});
