import { describe, expect, it } from 'vitest';
import { albumIdFor, artistIdFor, trackIdFor } from '../../domain/ids';
import { cleanText, draftTrack, toTrackRecord, UNKNOWN_ALBUM, UNKNOWN_ARTIST } from './tags';

const format = { duration: 201.5, bitrate: 320_000, codec: 'MPEG 1 Layer 3' };

describe('draftTrack', () => {
  it('maps every tag, keeping non-ASCII text intact', () => {
    const draft = draftTrack(
      {
        title: 'Jóga',
        artists: ['Björk'],
        artist: 'Björk',
        album: 'Homogenic',
        albumartist: 'Björk',
        track: { no: 2 },
        disk: { no: 1 },
        year: 1997,
        genre: ['Electronic'],
      },
      format,
      ['Music', 'x', 'y', 'file.mp3'],
    );
    expect(draft).toEqual({
      title: 'Jóga',
      artist: 'Björk',
      album: 'Homogenic',
      albumArtist: 'Björk',
      trackNumber: 2,
      discNumber: 1,
      year: 1997,
      genre: 'Electronic',
      durationMs: 201_500,
      bitrate: 320_000,
      codec: 'MPEG 1 Layer 3',
      fromPath: [],
    });
  });

  it('joins several artists into one credit, but keeps a fuller artist tag', () => {
    expect(draftTrack({ artists: ['A', 'B'], artist: 'A' }, format, ['r', 'f.mp3']).artist).toBe('A, B');
    expect(draftTrack({ artists: ['A', 'B'], artist: 'A feat. B' }, format, ['r', 'f.mp3']).artist).toBe('A feat. B');
  });

  it('falls back to file and folder names, and says which fields it guessed', () => {
    const draft = draftTrack({ album: 'Tagged Album' }, format, ['lib', 'Some Artist', 'Folder (2004)', '05 - A Song.flac']);
    expect(draft).toMatchObject({ title: 'A Song', artist: 'Some Artist', album: 'Tagged Album', trackNumber: 5, year: 2004 });
    expect(draft.fromPath).toEqual(['title', 'artist', 'trackNumber', 'year']);
  });

  it('uses the album artist as the artist before giving up, then Unknown', () => {
    expect(draftTrack({ albumartist: 'Band' }, format, ['song.mp3']).artist).toBe('Band');
    expect(draftTrack({}, format, ['song.mp3'])).toMatchObject({ artist: UNKNOWN_ARTIST, album: UNKNOWN_ALBUM, title: 'song' });
  });

  it('ignores nonsense numbers and years, and reads the year from a date', () => {
    const draft = draftTrack({ track: { no: 0 }, disk: { no: -1 }, date: '1984-05-01' }, format, ['r', 'x.mp3']);
    expect(draft.trackNumber).toBeUndefined();
    expect(draft.discNumber).toBeUndefined();
    expect(draft.year).toBe(1984);
    expect(draftTrack({ year: 20 }, format, ['r', 'x.mp3']).year).toBeUndefined();
  });
});

describe('cleanText', () => {
  it('strips control and zero-width characters and collapses spaces', () => {
    expect(cleanText(' a\u0000b\n\tc\u200b d\ufeff ')).toBe('a b c d');
    expect(cleanText('\u0000 ')).toBeUndefined();
    expect(cleanText('e\u0301')).toBe('é');
    expect([...cleanText('x'.repeat(1000))!]).toHaveLength(256);
  });
});

describe('toTrackRecord', () => {
  it('derives ids from the content hash, the artist and the album artist', () => {
    const draft = draftTrack({ title: 'T', artist: 'Guest', albumartist: 'Various Artists', album: 'Hits' }, format, ['r', 'f.mp3']);
    const hash = 'ab'.repeat(32);
    const record = toTrackRecord(draft, {
      contentHash: hash,
      audioKey: `audio/${hash}.mp3`,
      contentType: 'audio/mpeg',
      coverKey: 'covers/c.png',
    });
    expect(record).toMatchObject({
      id: trackIdFor(hash),
      artistId: artistIdFor('Guest'),
      albumId: albumIdFor('Various Artists', 'Hits'),
      durationMs: 201_500,
      coverKey: 'covers/c.png',
      contentType: 'audio/mpeg',
    });
    expect(record).not.toHaveProperty('bitrate');
  });
});
