import type { Artist } from '../../../domain/catalog';
import type { IndexedAlbum, IndexedTrack } from '../../../domain/search';
import type { SearchKind, TextField } from '../../../domain/search-ranking';
import { foldName } from '../../../domain/search-text';

/*
 * The CloudSearch documents of the catalog, one per track, album and artist, with the fields of
 * `infra/constructs/cloudsearch-domain.ts`: text `title`/`artist`/`album` (the names as shown,
 * for the suggesters) and `title_words`/`artist_words`/`album_words` (the same names as the
 * folded words both adapters match, for searches), literals `kind`, `track_id`/`album_id`/
 * `artist_id`, `sort_key`, and `doc` (the record to answer with, JSON).
 */

export interface AddOperation {
  type: 'add';
  id: string;
  fields: Record<string, string>;
}

export interface DeleteOperation {
  type: 'delete';
  id: string;
}

export type BatchOperation = AddOperation | DeleteOperation;

/** Document ids are `<kind>:<entity id>`; `:` is allowed in CloudSearch ids and never in ours. */
export const documentId = (kind: SearchKind, id: string) => `${kind}:${id}`;

export function parseDocumentId(docId: string): { kind: SearchKind; id: string } | undefined {
  const [kind, id] = docId.split(/:(.*)/s);
  return (kind === 'track' || kind === 'album' || kind === 'artist') && id ? { kind, id } : undefined;
}

/**
 * The searched field of a text field. It holds the words as `searchTerms` gives them, so the
 * domain indexes exactly the words the shared ranking compares, whatever its own analysis
 * would do with accents, apostrophes or punctuation.
 */
export const wordsField = (field: TextField) => `${field}_words`;

type DocumentFields = Partial<Record<TextField | 'track_id' | 'album_id' | 'artist_id', string>>;

const add = (kind: SearchKind, id: string, fields: DocumentFields, doc: unknown): AddOperation => {
  const words = (['title', 'artist', 'album'] as const).flatMap((field) =>
    fields[field] === undefined ? [] : [[wordsField(field), foldName(fields[field])]],
  );
  return {
    type: 'add',
    id: documentId(kind, id),
    fields: Object.fromEntries(
      [
        ...Object.entries(fields),
        ...words,
        ['kind', kind],
        ['sort_key', foldName(fields.title ?? fields.album ?? fields.artist ?? '')],
        ['doc', JSON.stringify(doc)],
      ].filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
  };
};

/**
 * Documents for `tracks` and for the albums and artists they make up. Album and artist counts
 * are counted from `tracks`, so pass every track of the albums and artists concerned.
 */
export function catalogDocuments(tracks: readonly IndexedTrack[]): AddOperation[] {
  const albums = new Map<string, IndexedAlbum>();
  const artists = new Map<string, Artist & { albums: Set<string> }>();
  const docs: AddOperation[] = [];
  for (const track of tracks) {
    docs.push(
      add(
        'track',
        track.id,
        {
          title: track.title,
          artist: track.artist,
          album: track.album,
          track_id: track.id,
          album_id: track.albumId,
          artist_id: track.artistId,
        },
        track,
      ),
    );
    const album = albums.get(track.albumId) ?? {
      id: track.albumId,
      name: track.album,
      artist: track.artist,
      artistId: track.artistId,
      trackCount: 0,
    };
    album.trackCount += 1;
    if (track.year !== undefined) album.year = track.year;
    if (track.genre !== undefined) album.genre = track.genre;
    if (track.coverKey !== undefined) album.coverKey = track.coverKey;
    albums.set(track.albumId, album);
    const artist = artists.get(track.artistId) ?? {
      id: track.artistId,
      name: track.artist,
      albumCount: 0,
      trackCount: 0,
      albums: new Set<string>(),
    };
    artist.trackCount += 1;
    artist.albums.add(track.albumId);
    artist.albumCount = artist.albums.size;
    artists.set(track.artistId, artist);
  }
  for (const album of albums.values()) {
    docs.push(add('album', album.id, { album: album.name, artist: album.artist, album_id: album.id, artist_id: album.artistId }, album));
  }
  for (const { albums: _albums, ...artist } of artists.values()) {
    docs.push(add('artist', artist.id, { artist: artist.name, artist_id: artist.id }, artist));
  }
  return docs;
}

/** The record stored in a hit's `doc` field, or undefined when the hit has none. */
export function recordOf<T>(fields: Record<string, string[] | string> | undefined): T | undefined {
  // `format=sdk` returns every field as a list; accept a bare string as the plain format sends it.
  const value = fields?.doc;
  const doc = Array.isArray(value) ? value[0] : value;
  return doc ? (JSON.parse(doc) as T) : undefined;
}
