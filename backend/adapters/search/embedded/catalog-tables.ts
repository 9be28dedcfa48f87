import type { Artist } from '../../../domain/catalog';
import type { IndexedAlbum, IndexedTrack } from '../../../domain/search';
import type { SearchKind, TextField } from '../../../domain/search-ranking';

/** Marks an absent number in an Int32 column. */
export const ABSENT = -0x80000000;

/** Repeated strings stored once: `refs[row]` indexes `values`, -1 when the row has none. */
export interface StringColumn {
  values: string[];
  refs: Int32Array;
}

/** Texts are indexes into `CatalogColumns.texts`; rows are indexes into the album and artist columns. */
export interface TrackColumns {
  id: string[];
  title: Int32Array;
  artist: Int32Array;
  album: Int32Array;
  artistRow: Int32Array;
  albumRow: Int32Array;
  trackNumber: Int32Array;
  discNumber: Int32Array;
  durationMs: Int32Array;
  year: Int32Array;
  playCount: Int32Array;
  genre: StringColumn;
  coverKey: StringColumn;
  /** By row, whatever of a track the columns cannot hold (fields added later, numbers beyond 32 bits). */
  extra: Record<number, Record<string, unknown>>;
}

export interface AlbumColumns {
  id: string[];
  name: Int32Array;
  /** The album artist's name, as a text. */
  artist: Int32Array;
  artistId: string[];
  trackCount: Int32Array;
  year: Int32Array;
  genre: StringColumn;
  coverKey: StringColumn;
}

export interface ArtistColumns {
  id: string[];
  name: Int32Array;
  albumCount: Int32Array;
  trackCount: Int32Array;
}

/**
 * The catalog as columns: each distinct text (title, album or artist name) once, with its folded
 * words as ids into the sorted vocabulary; tracks point at their album and artist rows.
 */
export interface CatalogColumns {
  /** Every distinct word of the texts, sorted. */
  words: string[];
  texts: string[];
  /** The words of `texts[t]` are `wordIds[wordStart[t]]` up to `wordIds[wordStart[t + 1]]`. */
  wordStart: Uint32Array;
  wordIds: Uint32Array;
  tracks: TrackColumns;
  albums: AlbumColumns;
  artists: ArtistColumns;
}

/** The number fields of a track that have columns; a value beyond 32 bits goes to `extra`. */
export const trackNumbers = ['trackNumber', 'discNumber', 'durationMs', 'year', 'playCount'] as const;
const trackStrings = ['genre', 'coverKey'] as const;
/** The fields of a track that have columns. */
export const trackFields: ReadonlySet<string> = new Set<string>([
  'id',
  'title',
  'artist',
  'artistId',
  'album',
  'albumId',
  ...trackNumbers,
  ...trackStrings,
]);

const fits = (value: unknown): value is number => Number.isInteger(value) && (value as number) > ABSENT && (value as number) <= 0x7fffffff;

/**
 * Turns the catalog into columns. `wordsOf` gives a text's folded words (`searchTerms`); the
 * caller caches them, so a rebuild after a small change folds only the new texts.
 */
export function buildColumns(
  tracks: readonly IndexedTrack[],
  albums: readonly IndexedAlbum[],
  artists: readonly Artist[],
  wordsOf: (text: string) => readonly string[],
): CatalogColumns {
  const texts: string[] = [];
  const textIds = new Map<string, number>();
  const text = (value: string) => {
    let id = textIds.get(value);
    if (id === undefined) {
      id = texts.length;
      texts.push(value);
      textIds.set(value, id);
    }
    return id;
  };
  const albumRows = new Map(albums.map((album, row) => [album.id, row]));
  const artistRows = new Map(artists.map((artist, row) => [artist.id, row]));
  const column = (length: number) => new Int32Array(length).fill(ABSENT);
  const strings = (length: number) => ({ values: [] as string[], refs: new Int32Array(length).fill(-1), ids: new Map<string, number>() });
  const setString = (target: ReturnType<typeof strings>, row: number, value: string | undefined) => {
    if (value === undefined) return;
    let id = target.ids.get(value);
    if (id === undefined) {
      id = target.values.length;
      target.values.push(value);
      target.ids.set(value, id);
    }
    target.refs[row] = id;
  };
  const done = ({ values, refs }: ReturnType<typeof strings>): StringColumn => ({ values, refs });

  const n = tracks.length;
  const t = {
    id: new Array<string>(n),
    title: new Int32Array(n),
    artist: new Int32Array(n),
    album: new Int32Array(n),
    artistRow: new Int32Array(n),
    albumRow: new Int32Array(n),
    trackNumber: column(n),
    discNumber: column(n),
    durationMs: column(n),
    year: column(n),
    playCount: column(n),
    genre: strings(n),
    coverKey: strings(n),
    extra: {} as Record<number, Record<string, unknown>>,
  };
  for (const [row, track] of tracks.entries()) {
    t.id[row] = track.id;
    t.title[row] = text(track.title);
    t.artist[row] = text(track.artist);
    t.album[row] = text(track.album);
    t.artistRow[row] = artistRows.get(track.artistId) ?? fail(`no artist row for ${track.artistId}`);
    t.albumRow[row] = albumRows.get(track.albumId) ?? fail(`no album row for ${track.albumId}`);
    let extra: Record<string, unknown> | undefined;
    for (const key of trackNumbers) {
      const value = track[key];
      if (fits(value)) t[key][row] = value;
      else if (value !== undefined) (extra ??= {})[key] = value;
    }
    for (const key of trackStrings) setString(t[key], row, track[key]);
    for (const key in track) {
      const value = track[key as keyof IndexedTrack];
      if (!trackFields.has(key) && value !== undefined) (extra ??= {})[key] = value;
    }
    if (extra) t.extra[row] = extra;
  }

  const m = albums.length;
  const a = {
    id: new Array<string>(m),
    name: new Int32Array(m),
    artist: new Int32Array(m),
    artistId: new Array<string>(m),
    trackCount: new Int32Array(m),
    year: column(m),
    genre: strings(m),
    coverKey: strings(m),
  };
  for (const [row, album] of albums.entries()) {
    a.id[row] = album.id;
    a.name[row] = text(album.name);
    a.artist[row] = text(album.artist);
    a.artistId[row] = album.artistId;
    a.trackCount[row] = album.trackCount;
    if (album.year !== undefined) a.year[row] = album.year;
    setString(a.genre, row, album.genre);
    setString(a.coverKey, row, album.coverKey);
  }

  const k = artists.length;
  const r = { id: new Array<string>(k), name: new Int32Array(k), albumCount: new Int32Array(k), trackCount: new Int32Array(k) };
  for (const [row, artist] of artists.entries()) {
    r.id[row] = artist.id;
    r.name[row] = text(artist.name);
    r.albumCount[row] = artist.albumCount;
    r.trackCount[row] = artist.trackCount;
  }

  // Word ids in order of first use, then renumbered so that ids follow the sorted words.
  const firstSeen = new Map<string, number>();
  const wordStart = new Uint32Array(texts.length + 1);
  const provisional: number[] = [];
  for (const [id, value] of texts.entries()) {
    for (const word of wordsOf(value)) {
      let wordId = firstSeen.get(word);
      if (wordId === undefined) {
        wordId = firstSeen.size;
        firstSeen.set(word, wordId);
      }
      provisional.push(wordId);
    }
    wordStart[id + 1] = provisional.length;
  }
  const words = [...firstSeen.keys()].sort();
  const sortedId = new Uint32Array(words.length);
  for (const [id, word] of words.entries()) sortedId[firstSeen.get(word)!] = id;
  const wordIds = Uint32Array.from(provisional, (id) => sortedId[id]!);

  return {
    words,
    texts,
    wordStart,
    wordIds,
    tracks: { ...t, genre: done(t.genre), coverKey: done(t.coverKey) },
    albums: { ...a, genre: done(a.genre), coverKey: done(a.coverKey) },
    artists: r,
  };
}

function fail(message: string): never {
  throw new Error(message);
}

const stringAt = (column: StringColumn, row: number) => {
  const ref = column.refs[row]!;
  return ref < 0 ? undefined : column.values[ref];
};

/** Read access to the columns: records built on demand, only for the hits a query answers with. */
export class CatalogTables {
  private readonly wordLists: (readonly string[] | undefined)[] = [];

  constructor(readonly columns: CatalogColumns) {}

  get trackCount(): number {
    return this.columns.tracks.id.length;
  }

  text(id: number): string {
    return this.columns.texts[id]!;
  }

  /** The folded words of a text, as the vocabulary's strings. */
  wordsOf(textId: number): readonly string[] {
    let words = this.wordLists[textId];
    if (!words) {
      const { words: vocabulary, wordStart, wordIds } = this.columns;
      words = Array.from(wordIds.subarray(wordStart[textId]!, wordStart[textId + 1]!), (id) => vocabulary[id]!);
      this.wordLists[textId] = words;
    }
    return words;
  }

  /** Per document of `kind`, the text of `field`; undefined when the kind has no such field. */
  fieldTexts(kind: SearchKind, field: TextField): Int32Array | undefined {
    const { tracks, albums, artists } = this.columns;
    if (kind === 'track') return tracks[field];
    if (kind === 'album') return field === 'title' ? undefined : field === 'album' ? albums.name : albums.artist;
    return field === 'artist' ? artists.name : undefined;
  }

  documentCount(kind: SearchKind): number {
    const { tracks, albums, artists } = this.columns;
    return (kind === 'track' ? tracks : kind === 'album' ? albums : artists).id.length;
  }

  id(kind: SearchKind, row: number): string {
    const { tracks, albums, artists } = this.columns;
    return (kind === 'track' ? tracks : kind === 'album' ? albums : artists).id[row]!;
  }

  popularity(kind: SearchKind, row: number): number {
    const plays = kind === 'track' ? this.columns.tracks.playCount[row]! : ABSENT;
    return plays === ABSENT ? 0 : plays;
  }

  track(row: number): IndexedTrack {
    const { tracks, albums, artists, texts } = this.columns;
    const track: IndexedTrack = {
      id: tracks.id[row]!,
      title: texts[tracks.title[row]!]!,
      artist: texts[tracks.artist[row]!]!,
      artistId: artists.id[tracks.artistRow[row]!]!,
      album: texts[tracks.album[row]!]!,
      albumId: albums.id[tracks.albumRow[row]!]!,
    } as IndexedTrack;
    for (const key of trackNumbers) {
      const value = tracks[key][row]!;
      if (value !== ABSENT) track[key] = value;
    }
    for (const key of trackStrings) {
      const value = stringAt(tracks[key], row);
      if (value !== undefined) track[key] = value;
    }
    const extra = tracks.extra[row];
    return extra ? Object.assign(track, extra) : track;
  }

  album(row: number): IndexedAlbum {
    const { albums, texts } = this.columns;
    const album: IndexedAlbum = {
      id: albums.id[row]!,
      name: texts[albums.name[row]!]!,
      artist: texts[albums.artist[row]!]!,
      artistId: albums.artistId[row]!,
      trackCount: albums.trackCount[row]!,
    };
    if (albums.year[row] !== ABSENT) album.year = albums.year[row]!;
    const genre = stringAt(albums.genre, row);
    if (genre !== undefined) album.genre = genre;
    const coverKey = stringAt(albums.coverKey, row);
    if (coverKey !== undefined) album.coverKey = coverKey;
    return album;
  }

  artist(row: number): Artist {
    const { artists, texts } = this.columns;
    return {
      id: artists.id[row]!,
      name: texts[artists.name[row]!]!,
      albumCount: artists.albumCount[row]!,
      trackCount: artists.trackCount[row]!,
    };
  }

  *allTracks(): Generator<IndexedTrack> {
    for (let row = 0; row < this.trackCount; row++) yield this.track(row);
  }

  *allAlbums(): Generator<IndexedAlbum> {
    for (let row = 0; row < this.columns.albums.id.length; row++) yield this.album(row);
  }
}
