import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_TRACKS } from '../../shared/api';
import { AppError } from './errors';
import { formatPlaylist, parsePlaylistFile, sniffPlaylistKind, type ExportedTrack } from './playlist-files';
import { MAX_IMPORTED_TEXT_LENGTH } from './playlist-files-model';

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

  it.each(['m3u8', 'xspf'] as const)('%s keeps tracks whose names start with # or look like paths', (format) => {
    const odd: ExportedTrack[] = [
      { id: 'tr_h1', title: '#Hashtag', artist: '#1 Dads', album: '#Album', durationMs: 1000, extension: 'mp3' },
      { id: 'tr_h2', title: '../../etc/passwd', artist: '..', album: '.', durationMs: 1000, trackNumber: 2, extension: 'mp3' },
      { id: 'tr_h3', title: 'Side A/B', artist: 'AC/DC', album: 'Back\\In Black', durationMs: 1000, extension: 'mp3' },
    ];
    const parsed = parsePlaylistFile(formatPlaylist(format, { name: 'Odd', tracks: odd }));
    expect(parsed.items.map((item) => item.trackId)).toEqual(['tr_h1', 'tr_h2', 'tr_h3']);
    expect(parsed.items.map((item) => [item.artist, item.title])).toEqual(odd.map((t) => [t.artist, t.title]));
  });

  it('writes M3U8 locations that are never a comment and never leave their folders', () => {
    const hostile = ['#1 Dads', '#', '..', '.', ' ../x', 'a/../b', 'a\\..', 'line\u2028break', 'nul\u0000bell\u0007', 'C:', '\u0085'];
    const odd = hostile.flatMap((name, i): ExportedTrack[] => [
      { id: `tr_a${i}`, title: name, artist: name, album: name, durationMs: 1, extension: 'mp3' },
      { id: `tr_b${i}`, title: 'T', artist: 'Artist', album: name, durationMs: 1, trackNumber: 1, extension: 'mp3' },
    ]);
    const file = formatPlaylist('m3u8', { name: 'Hostile', tracks: odd });
    const locations = file.split('\n').filter((line) => line && !line.startsWith('#'));
    expect(locations).toHaveLength(odd.length);
    for (const location of locations) {
      const parts = location.replace(/^\.\//, '').split('/');
      expect(parts, location).toHaveLength(3);
      for (const part of parts) {
        expect(part, location).not.toMatch(/^\.|^$|[\\:\p{Cc}\p{Zl}\p{Zp}]/u);
      }
    }
    expect(parsePlaylistFile(file).items.map((item) => item.trackId)).toEqual(odd.map((t) => t.id));
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

  it('ignores an id comment that is not ours, or not an id', () => {
    for (const id of ['spotify:track:123', 'alktunes:track:a b', 'alktunes:track:../tr_1', `alktunes:track:${'x'.repeat(100_000)}`]) {
      const [item] = parsePlaylistFile(`#ALKTUNES-TRACK:${id}\nA/B/C.mp3`).items;
      expect(item!.trackId, id.slice(0, 30)).toBeUndefined();
      const xspf = `<playlist><trackList><track><identifier>${id}</identifier><title>C</title></track></trackList></playlist>`;
      expect(parsePlaylistFile(xspf).items[0]!.trackId, id.slice(0, 30)).toBeUndefined();
    }
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

  it('keeps CDATA text as written, next to decoded text, and ignores CDATA in comments', () => {
    const file = `<playlist><trackList>
      <track><title><![CDATA[A &amp; B]]></title><creator><![CDATA[<Tom> & "Jerry"]]></creator></track>
      <track><title>Rock &amp; <![CDATA[<Roll> &#233;]]> &#233;</title><!-- <![CDATA[ --><album>x</album></track>
    </trackList></playlist>`;
    expect(parsePlaylistFile(file).items).toEqual([
      { text: '<Tom> & "Jerry" - A &amp; B', artist: '<Tom> & "Jerry"', title: 'A &amp; B' },
      { text: 'Rock & <Roll> &#233; é', title: 'Rock & <Roll> &#233; é', album: 'x' },
    ]);
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

describe('playlist files: hostile input', () => {
  /** The body limit of an import. */
  const MB = 1024 * 1024;
  const timed = <T>(run: () => T) => {
    const started = performance.now();
    const result = run();
    return { result, ms: performance.now() - started };
  };

  it('reads 1 MB lines of white space in #EXTINF and in paths in linear time', () => {
    const spaces = ' \t'.repeat(MB / 8);
    const file = `#EXTINF:1${spaces}x\nfirst.mp3\n#EXTINF:1,A${spaces}-${spaces}B\nsecond.mp3\nC${spaces}-${spaces}D.mp3\n`;
    const { result, ms } = timed(() => parsePlaylistFile(file));
    expect(ms).toBeLessThan(1000);
    expect(result.items.map((item) => [item.artist, item.title])).toEqual([
      [undefined, 'first'],
      ['A', 'B'],
      ['C', 'D'],
    ]);
  });

  it('keeps every name and listed line on one line and at most MAX_IMPORTED_TEXT_LENGTH long', () => {
    const long = '🎵'.repeat(MB / 4);
    const m3u = `#PLAYLIST:${long}\n#EXTINF:1,Bell\u0007Band - ${long}\na.mp3\nMusic/${long}/x\u0085y/${long}.mp3\n`;
    const xspf = `<playlist><title>${long}</title><trackList><track><creator>A&#10;B</creator><title>${long}</title></track></trackList></playlist>`;
    for (const file of [m3u, xspf]) {
      const { title, items } = parsePlaylistFile(file);
      for (const text of [title, ...items.flatMap((item) => [item.text, item.artist, item.title, item.album])].filter(
        (t) => t !== undefined,
      )) {
        expect(text.length).toBeLessThanOrEqual(MAX_IMPORTED_TEXT_LENGTH);
        expect(text).not.toMatch(/[\p{Cc}\p{Cs}]/u);
      }
      expect(items[0]!.title).toMatch(/^(?:🎵)+…$/u);
    }
    expect(parsePlaylistFile(m3u).items.map((item) => [item.artist, item.album])).toEqual([
      ['Bell Band', undefined],
      [expect.stringMatching(/^(?:🎵)+…$/u), 'x y'],
    ]);
    expect(parsePlaylistFile(xspf).items[0]!.artist).toBe('A B');
  });

  it('refuses a NUL anywhere, also when the content type named the format', () => {
    expect(failure(() => parsePlaylistFile('a.mp3\nb\u0000.mp3', 'm3u')).code).toBe('invalid_input');
    const xspf = '<playlist><trackList><track><title>a\u0000b</title></track></trackList></playlist>';
    expect(failure(() => parsePlaylistFile(xspf)).code).toBe('invalid_input');
    expect(failure(() => parsePlaylistFile(xspf, 'xspf')).code).toBe('invalid_input');
  });

  it('answers deeply nested XML with a 400, not a crash', () => {
    const depth = MB / 8;
    const file = `<playlist><trackList><track><title>${'<b>'.repeat(depth)}x${'</b>'.repeat(depth)}</title></track></trackList></playlist>`;
    expect(failure(() => parsePlaylistFile(file))).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('too deeply') });
  });

  it('refuses an M3U over MAX_IMPORT_TRACKS with a 413 without reading the rest', () => {
    const { result, ms } = timed(() => failure(() => parsePlaylistFile('a\n'.repeat(MB / 2))));
    expect(result).toMatchObject({ code: 'too_large', message: `A playlist file may list at most ${MAX_IMPORT_TRACKS} tracks` });
    expect(ms).toBeLessThan(1000);
  });

  it('refuses an XSPF over MAX_IMPORT_TRACKS with a 413', () => {
    const file = `<playlist><trackList>${'<track><title>a</title></track>'.repeat(MAX_IMPORT_TRACKS + 1)}</trackList></playlist>`;
    expect(failure(() => parsePlaylistFile(file))).toMatchObject({ code: 'too_large' });
  });

  it('skips 10,000 empty lines', () => {
    const empty = '\n'.repeat(10_000);
    expect(parsePlaylistFile(`${empty}a.mp3\r\n${'\r\n \t'.repeat(10_000)}b.mp3${empty}`).items.map((item) => item.title)).toEqual([
      'a',
      'b',
    ]);
    expect(failure(() => parsePlaylistFile(`#EXTM3U${empty}`)).code).toBe('invalid_input');
  });
});
