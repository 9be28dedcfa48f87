import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { formatPlaylist, parsePlaylistFile, sniffPlaylistKind, type ExportedTrack } from './playlist-files';

const tracks: ExportedTrack[] = [
  {
    id: 'tr_a1',
    title: 'Bohemian Rhapsody',
    artist: 'Queen',
    album: 'A Night at the Opera',
    durationMs: 354_321,
    trackNumber: 11,
    extension: 'flac',
  },
  { id: 'tr_b2', title: 'R&B <Live> "1999"', artist: "Guns N' Roses", album: 'AC/DC: Tribute?', durationMs: 61_499, extension: 'mp3' },
  {
    id: 'tr_c3',
    title: 'Café, à la carte',
    artist: 'Sigur Rós',
    album: 'Ágætis byrjun',
    durationMs: 1000,
    trackNumber: 3,
    extension: 'm4a',
  },
];
const playlist = { name: 'Road & <Trip> "2024"', tracks };

const failure = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a failure');
};

describe('playlist files: export then import', () => {
  it.each(['m3u8', 'xspf'] as const)('%s keeps every track, its id and names in order, and the playlist name', (format) => {
    const file = formatPlaylist(format, playlist);
    const parsed = parsePlaylistFile(file);
    expect(parsed.title).toBe(playlist.name);
    expect(parsed.items.map((item) => item.trackId)).toEqual(['tr_a1', 'tr_b2', 'tr_c3']);
    expect(parsed.items.map((item) => [item.artist, item.title])).toEqual(tracks.map((t) => [t.artist, t.title]));
    expect(parsed.items[0]!.text).toBe('Queen - Bohemian Rhapsody');
  });

  it('writes M3U8 with #EXTINF seconds and a relative Artist/Album/NN Title path', () => {
    const file = formatPlaylist('m3u8', playlist);
    const lines = file.split('\n');
    expect(lines.slice(0, 2)).toEqual(['#EXTM3U', '#PLAYLIST:Road & <Trip> "2024"']);
    expect(lines).toContain('#EXTINF:354,Queen - Bohemian Rhapsody');
    expect(lines).toContain('Queen/A Night at the Opera/11 Bohemian Rhapsody.flac');
    // Characters file systems refuse are replaced; no track number, no prefix.
    expect(lines).toContain("Guns N' Roses/AC_DC_ Tribute_/R&B _Live_ _1999_.mp3");
    expect(file.endsWith('\n')).toBe(true);
  });

  it('escapes XSPF text and percent-encodes its locations', () => {
    const file = formatPlaylist('xspf', playlist);
    expect(file).toContain('<playlist version="1" xmlns="http://xspf.org/ns/0/">');
    expect(file).toContain('<title>Road &amp; &lt;Trip&gt; &quot;2024&quot;</title>');
    expect(file).toContain('<title>R&amp;B &lt;Live&gt; &quot;1999&quot;</title>');
    expect(file).toContain('<creator>Guns N&apos; Roses</creator>');
    expect(file).toContain('<location>Sigur%20R%C3%B3s/%C3%81g%C3%A6tis%20byrjun/03%20Caf%C3%A9%2C%20%C3%A0%20la%20carte.m4a</location>');
    expect(file).toContain('<identifier>alktunes:track:tr_a1</identifier>');
    expect(file).toContain('<duration>354321</duration>');
    expect(file).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;)/);
  });

  it('keeps a name with line breaks on one line', () => {
    const file = formatPlaylist('m3u8', { name: 'Two\r\nlines', tracks: [{ ...tracks[0]!, title: 'A\nB' }] });
    expect(file).toContain('#PLAYLIST:Two lines');
    expect(file).toContain('#EXTINF:354,Queen - A B');
    expect(parsePlaylistFile(file).items).toHaveLength(1);
  });
});

describe('playlist files: reading M3U from other players', () => {
  it('reads CRLF, a BOM, comments and unknown directives, #EXTINF with attributes and commas', () => {
    const file = [
      '\uFEFF#EXTM3U',
      '# a comment',
      '#EXTGRP:Morning',
      '#EXTINF:200 tvg-name="x, y",Daft Punk - One More Time, Again',
      'C:\\Music\\Daft Punk\\Discovery\\01 One More Time.mp3',
      '',
      '#EXTINF:-1,Just A Title',
      'Music/Radiohead/OK Computer/02 - Paranoid Android.mp3',
    ].join('\r\n');
    expect(sniffPlaylistKind(file)).toBe('m3u');
    expect(parsePlaylistFile(file).items).toEqual([
      { text: 'Daft Punk - One More Time, Again', artist: 'Daft Punk', title: 'One More Time, Again', album: 'Discovery' },
      { text: 'Just A Title', artist: 'Radiohead', album: 'OK Computer', title: 'Just A Title' },
    ]);
  });

  it('names a track by its path when there is no #EXTINF: relative, Windows, file:// URLs, "Artist - Title" names', () => {
    const file = [
      'Music/Artist/Album/03 - Title.mp3',
      'D:\\Music\\Nina Simone\\Pastel Blues\\07. Sinnerman.flac',
      'file:///home/me/Music/Sigur%20R%C3%B3s/Takk/02%20Gl%C3%B3s%C3%B3li.ogg',
      'Bob Marley - Redemption Song.mp3',
      'lonely.mp3',
      '../Up/../Folder/Band/Record/11_Closing.wav',
    ].join('\r');
    expect(parsePlaylistFile(file).items).toEqual([
      { text: 'Music/Artist/Album/03 - Title.mp3', artist: 'Artist', album: 'Album', title: 'Title' },
      {
        text: 'D:\\Music\\Nina Simone\\Pastel Blues\\07. Sinnerman.flac',
        artist: 'Nina Simone',
        album: 'Pastel Blues',
        title: 'Sinnerman',
      },
      {
        text: 'file:///home/me/Music/Sigur%20R%C3%B3s/Takk/02%20Gl%C3%B3s%C3%B3li.ogg',
        artist: 'Sigur Rós',
        album: 'Takk',
        title: 'Glósóli',
      },
      { text: 'Bob Marley - Redemption Song.mp3', artist: 'Bob Marley', title: 'Redemption Song' },
      { text: 'lonely.mp3', title: 'lonely' },
      { text: '../Up/../Folder/Band/Record/11_Closing.wav', artist: 'Band', album: 'Record', title: 'Closing' },
    ]);
  });

  it('ignores an id comment that is not ours', () => {
    const [item] = parsePlaylistFile('#ALKTUNES-TRACK:spotify:track:123\nA/B/C.mp3').items;
    expect(item!.trackId).toBeUndefined();
  });
});

describe('playlist files: reading XSPF from other players', () => {
  it('reads namespace prefixes, character references, several locations and foreign identifiers', () => {
    const file = `<?xml version="1.0" encoding="UTF-8"?>
      <x:playlist version="1" xmlns:x="http://xspf.org/ns/0/">
        <x:title>Mix &#x26; match</x:title>
        <x:trackList>
          <x:track>
            <x:location>file:///C:/Music/Beyonc%C3%A9/Lemonade/01%20Pray%20You%20Catch%20Me.mp3</x:location>
            <x:location>http://example.com/other.mp3</x:location>
            <x:identifier>urn:isrc:USSM11600001</x:identifier>
          </x:track>
          <x:track>
            <x:title>Caf&#233; Del Mar</x:title>
            <x:creator>Energy 52</x:creator>
            <x:duration>420000</x:duration>
          </x:track>
          <x:track><x:annotation>nothing to go by</x:annotation></x:track>
        </x:trackList>
      </x:playlist>`;
    expect(sniffPlaylistKind(`\n  ${file}`)).toBe('xspf');
    expect(parsePlaylistFile(file)).toEqual({
      title: 'Mix & match',
      items: [
        {
          text: 'file:///C:/Music/Beyonc%C3%A9/Lemonade/01%20Pray%20You%20Catch%20Me.mp3',
          artist: 'Beyoncé',
          album: 'Lemonade',
          title: 'Pray You Catch Me',
        },
        { text: 'Energy 52 - Café Del Mar', artist: 'Energy 52', title: 'Café Del Mar' },
      ],
    });
  });

  it('refuses a DTD, so no entity of the file is ever expanded', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE playlist [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
      <playlist xmlns="http://xspf.org/ns/0/"><trackList><track><title>&b;</title></track></trackList></playlist>`;
    expect(failure(() => parsePlaylistFile(bomb))).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('DTD') });
    const external = `<?xml version="1.0"?><!DOCTYPE p SYSTEM "file:///etc/passwd"><playlist/>`;
    expect(failure(() => parsePlaylistFile(external)).code).toBe('invalid_input');
  });

  it('leaves an unknown entity as written', () => {
    const file = '<playlist><trackList><track><title>Rock &nbsp; Roll</title></track></trackList></playlist>';
    expect(parsePlaylistFile(file).items[0]!.title).toBe('Rock &nbsp; Roll');
  });
});

describe('playlist files: what is not a playlist', () => {
  it.each([
    ['broken XML', '<playlist><trackList><track></playlist>'],
    ['another XML document', '<html><body>hi</body></html>'],
    ['an XSPF without tracks', '<playlist xmlns="http://xspf.org/ns/0/"><trackList/></playlist>'],
    ['an M3U without tracks', '#EXTM3U\n#EXTINF:1,A - B\n'],
    ['whitespace', ' \n\t'],
    ['a binary file', 'ID3\u0003\u0000\u0000\u0000'],
  ])('%s is a 400', (_, text) => {
    expect(failure(() => parsePlaylistFile(text)).code).toBe('invalid_input');
  });
});
