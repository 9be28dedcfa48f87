import type { IndexedTrack } from '../../../domain/search';
import {
  ABSENT,
  trackFields,
  trackNumbers,
  type AlbumColumns,
  type ArtistColumns,
  type CatalogColumns,
  type StringColumn,
  type TrackColumns,
} from './catalog-tables';

/** The first format: just the tracks, indexed again on load. Still read, so an upgrade never breaks search. */
export interface SnapshotFormat1 {
  format: 1;
  tracks: IndexedTrack[];
}

/** Base64 of a typed array's bytes (little-endian, as on every platform the functions run on). */
type Packed = string;
type PackedStrings = { values: string[]; refs: Packed };

/**
 * The catalog columns as JSON, ready to serve without indexing: strings as arrays, numbers as
 * packed 32-bit arrays. Loading it is a parse and a few copies; the postings and the typo trie
 * are rebuilt from the word ids (milliseconds) when first needed.
 */
export interface SnapshotFormat2 {
  format: 2;
  words: string[];
  texts: string[];
  wordStart: Packed;
  wordIds: Packed;
  tracks: Record<Exclude<keyof TrackColumns, 'id' | 'genre' | 'coverKey' | 'extra'>, Packed> & {
    id: string[];
    genre: PackedStrings;
    coverKey: PackedStrings;
    extra: Record<number, Record<string, unknown>>;
  };
  albums: Record<Exclude<keyof AlbumColumns, 'id' | 'artistId' | 'genre' | 'coverKey'>, Packed> & {
    id: string[];
    artistId: string[];
    genre: PackedStrings;
    coverKey: PackedStrings;
  };
  artists: Record<Exclude<keyof ArtistColumns, 'id'>, Packed> & { id: string[] };
}

export type IndexSnapshot = SnapshotFormat1 | SnapshotFormat2;

export const snapshotTrackCount = (snapshot: IndexSnapshot) => (snapshot.format === 1 ? snapshot.tracks.length : snapshot.tracks.id.length);

const pack = (array: Int32Array | Uint32Array): Packed => Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');

function unpack<T extends Int32Array | Uint32Array>(packed: Packed, Type: { new (length: number): T }): T {
  const bytes = Buffer.from(packed, 'base64');
  if (bytes.byteLength % 4 !== 0) invalid('a packed column is not a whole number of 32-bit values');
  // Copied rather than viewed: a decoded Buffer may start at an unaligned offset of a shared pool.
  const array = new Type(bytes.byteLength / 4);
  new Uint8Array(array.buffer).set(bytes);
  return array;
}

const packStrings = (column: StringColumn): PackedStrings => ({ values: column.values, refs: pack(column.refs) });

export function encodeSnapshot(columns: CatalogColumns): SnapshotFormat2 {
  const { tracks: t, albums: a, artists: r } = columns;
  return {
    format: 2,
    words: columns.words,
    texts: columns.texts,
    wordStart: pack(columns.wordStart),
    wordIds: pack(columns.wordIds),
    tracks: {
      id: t.id,
      title: pack(t.title),
      artist: pack(t.artist),
      album: pack(t.album),
      artistRow: pack(t.artistRow),
      albumRow: pack(t.albumRow),
      trackNumber: pack(t.trackNumber),
      discNumber: pack(t.discNumber),
      durationMs: pack(t.durationMs),
      year: pack(t.year),
      playCount: pack(t.playCount),
      genre: packStrings(t.genre),
      coverKey: packStrings(t.coverKey),
      extra: t.extra,
    },
    albums: {
      id: a.id,
      name: pack(a.name),
      artist: pack(a.artist),
      artistId: a.artistId,
      trackCount: pack(a.trackCount),
      year: pack(a.year),
      genre: packStrings(a.genre),
      coverKey: packStrings(a.coverKey),
    },
    artists: { id: r.id, name: pack(r.name), albumCount: pack(r.albumCount), trackCount: pack(r.trackCount) },
  };
}

function invalid(what: string): never {
  throw new Error(`search snapshot: ${what}`);
}

/**
 * Reads the fields of an untrusted object (a parsed snapshot), so that a missing or garbled
 * field fails with what and where rather than as a TypeError deep in the index.
 */
class Fields {
  private readonly value: Record<string, unknown>;

  constructor(
    value: unknown,
    private readonly path: string,
  ) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(`${path || 'the snapshot'} is not an object`);
    this.value = value as Record<string, unknown>;
  }

  private name(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  field(key: string): unknown {
    return this.value[key];
  }

  object(key: string): Fields {
    return new Fields(this.value[key], this.name(key));
  }

  list(key: string): unknown[] {
    const values = this.value[key];
    if (!Array.isArray(values)) invalid(`${this.name(key)} is not a list`);
    return values;
  }

  string(key: string): string {
    const value = this.value[key];
    if (typeof value !== 'string') invalid(`${this.name(key)} is not a string`);
    return value;
  }

  strings(key: string): string[] {
    const values = this.value[key];
    if (!Array.isArray(values) || !values.every((value) => typeof value === 'string'))
      invalid(`${this.name(key)} is not a list of strings`);
    return values;
  }

  /** A packed column: base64 of whole 32-bit values. */
  packed<T extends Int32Array | Uint32Array>(key: string, Type: { new (length: number): T }): T {
    const packed = this.value[key];
    if (typeof packed !== 'string') invalid(`${this.name(key)} is not a packed column`);
    return unpack(packed, Type);
  }

  int32(key: string): Int32Array {
    return this.packed(key, Int32Array);
  }

  stringColumn(key: string): StringColumn {
    const column = this.object(key);
    return { values: column.strings('values'), refs: column.int32('refs') };
  }

  entries(): [string, unknown][] {
    return Object.entries(this.value);
  }
}

/**
 * A parsed snapshot, checked: the tracks of a format-1 snapshot, or the columns of a format-2
 * one. A damaged or mismatched snapshot fails here, on load, rather than as wrong answers later.
 */
export function decodeSnapshot(snapshot: unknown): { tracks: IndexedTrack[] } | { columns: CatalogColumns } {
  const root = new Fields(snapshot, '');
  const format = root.field('format');
  if (format === 1) return { tracks: checkTracks(root) };
  if (format !== 2) invalid(`unsupported format ${String(format)}`);
  const t = root.object('tracks');
  const a = root.object('albums');
  const r = root.object('artists');
  const columns: CatalogColumns = {
    words: root.strings('words'),
    texts: root.strings('texts'),
    wordStart: root.packed('wordStart', Uint32Array),
    wordIds: root.packed('wordIds', Uint32Array),
    tracks: {
      id: t.strings('id'),
      title: t.int32('title'),
      artist: t.int32('artist'),
      album: t.int32('album'),
      artistRow: t.int32('artistRow'),
      albumRow: t.int32('albumRow'),
      trackNumber: t.int32('trackNumber'),
      discNumber: t.int32('discNumber'),
      durationMs: t.int32('durationMs'),
      year: t.int32('year'),
      playCount: t.int32('playCount'),
      genre: t.stringColumn('genre'),
      coverKey: t.stringColumn('coverKey'),
      extra: {},
    },
    albums: {
      id: a.strings('id'),
      name: a.int32('name'),
      artist: a.int32('artist'),
      artistId: a.strings('artistId'),
      trackCount: a.int32('trackCount'),
      year: a.int32('year'),
      genre: a.stringColumn('genre'),
      coverKey: a.stringColumn('coverKey'),
    },
    artists: { id: r.strings('id'), name: r.int32('name'), albumCount: r.int32('albumCount'), trackCount: r.int32('trackCount') },
  };
  check(columns);
  columns.tracks.extra = checkExtra(t.object('extra'), columns.tracks);
  return { columns };
}

function check(columns: CatalogColumns): void {
  const { words, texts, wordStart, wordIds, tracks, albums, artists } = columns;
  // Ids are positions in the sorted vocabulary: prefix ranges and lookups rely on the order.
  for (let w = 1; w < words.length; w++) if (!(words[w - 1]! < words[w]!)) invalid('words are not sorted and unique');
  const within = (values: ArrayLike<number>, limit: number, what: string, length: number) => {
    if (values.length !== length) invalid(`${what} has ${values.length} entries, expected ${length}`);
    for (let i = 0; i < values.length; i++) {
      if (!(values[i]! >= 0 && values[i]! < limit)) invalid(`${what} refers beyond its table`);
    }
  };
  if (wordStart.length !== texts.length + 1 || wordStart[0] !== 0 || wordStart[texts.length] !== wordIds.length)
    invalid('text words do not line up');
  for (let t = 0; t < texts.length; t++) if (wordStart[t]! > wordStart[t + 1]!) invalid('text words do not line up');
  within(wordIds, words.length, 'word ids', wordIds.length);
  const n = tracks.id.length;
  for (const column of [tracks.title, tracks.artist, tracks.album]) within(column, texts.length, 'a track text column', n);
  within(tracks.artistRow, artists.id.length, 'track artist rows', n);
  within(tracks.albumRow, albums.id.length, 'track album rows', n);
  for (const column of [albums.name, albums.artist]) within(column, texts.length, 'an album text column', albums.id.length);
  within(artists.name, texts.length, 'artist names', artists.id.length);
  const strings = (column: StringColumn, what: string, length: number) => {
    if (column.refs.length !== length) invalid(`${what} has ${column.refs.length} entries, expected ${length}`);
    for (const ref of column.refs) if (ref < -1 || ref >= column.values.length) invalid(`${what} refers beyond its values`);
  };
  strings(tracks.genre, 'track genres', n);
  strings(tracks.coverKey, 'track cover keys', n);
  strings(albums.genre, 'album genres', albums.id.length);
  strings(albums.coverKey, 'album cover keys', albums.id.length);
  const lengths: [ArrayLike<unknown>, number][] = [
    [tracks.trackNumber, n],
    [tracks.discNumber, n],
    [tracks.durationMs, n],
    [tracks.year, n],
    [tracks.playCount, n],
    [albums.artistId, albums.id.length],
    [albums.trackCount, albums.id.length],
    [albums.year, albums.id.length],
    [artists.albumCount, artists.id.length],
    [artists.trackCount, artists.id.length],
  ];
  if (lengths.some(([values, length]) => values.length !== length)) invalid('columns differ in length');
}

/**
 * The fields of tracks the columns could not hold, by row. They complete a track and never
 * replace what the columns say: a number field only where its column has none.
 */
function checkExtra(extra: Fields, tracks: TrackColumns): TrackColumns['extra'] {
  const checked: TrackColumns['extra'] = {};
  for (const [key, value] of extra.entries()) {
    const row = Number(key);
    if (!(Number.isInteger(row) && row >= 0 && row < tracks.id.length && String(row) === key))
      invalid(`tracks.extra has a row ${key} beyond the tracks`);
    const fields: Record<string, unknown> = {};
    for (const [field, fieldValue] of new Fields(value, `tracks.extra.${key}`).entries()) {
      const number = trackNumbers.find((name) => name === field);
      const free = number
        ? tracks[number][row] === ABSENT && typeof fieldValue === 'number'
        : !trackFields.has(field) && field !== '__proto__';
      if (!free) invalid(`tracks.extra.${key} overrides ${field}`);
      fields[field] = fieldValue;
    }
    checked[row] = fields;
  }
  return checked;
}

/** The tracks of a format-1 snapshot: objects with the fields every track has. */
function checkTracks(root: Fields): IndexedTrack[] {
  const tracks = root.list('tracks');
  for (const [i, track] of tracks.entries()) {
    const fields = new Fields(track, `tracks[${i}]`);
    for (const key of ['id', 'title', 'artist', 'artistId', 'album', 'albumId']) fields.string(key);
  }
  return tracks as IndexedTrack[];
}
