import { describe, expect, it } from 'vitest';
import { namesFromPath } from './path-names';

describe('namesFromPath', () => {
  it('reads artist, album, year, track number and title from the usual layout', () => {
    expect(namesFromPath(['Music', 'Björk', 'Debut (1993)', '01 - Human Behaviour.mp3'])).toEqual({
      title: 'Human Behaviour',
      artist: 'Björk',
      album: 'Debut',
      year: 1993,
      trackNumber: 1,
    });
  });

  it('understands disc folders and disc-track prefixes', () => {
    expect(namesFromPath(['lib', 'Artist', '2001 - Album', 'CD2', '03. Song.flac'])).toMatchObject({
      title: 'Song',
      album: 'Album',
      year: 2001,
      artist: 'Artist',
      trackNumber: 3,
      discNumber: 2,
    });
    expect(namesFromPath(['Album', '1-07 Song.mp3'])).toMatchObject({ title: 'Song', discNumber: 1, trackNumber: 7, album: 'Album' });
  });

  it('takes the artist from "Artist - Title" before the folder', () => {
    expect(namesFromPath(['Mix', 'Folder', '07 - Nina Simone - Sinnerman.mp3'])).toMatchObject({
      title: 'Sinnerman',
      artist: 'Nina Simone',
      album: 'Folder',
      trackNumber: 7,
    });
  });

  it('turns underscores into spaces only when a name has none', () => {
    expect(namesFromPath(['A', '02_my_song.mp3']).title).toBe('my song');
    expect(namesFromPath(['A', 'keep_this one.mp3']).title).toBe('keep_this one');
  });

  it('keeps titles that are only a number, and odd characters', () => {
    expect(namesFromPath(['Album', '1979.mp3'])).toMatchObject({ title: '1979', album: 'Album' });
    expect(namesFromPath(['東京', 'line\nbreak ✓.wav']).title).toBe('line\nbreak ✓');
  });

  it('never returns an empty title', () => {
    expect(namesFromPath(['x', '.mp3']).title).not.toBe('');
  });
});
