import type { Album, Track, TrackRecord } from '../domain/catalog';
import type { MediaUrlSigner } from '../domain/ports';

/** Signs object keys for one response, signing each distinct key once. */
export type KeySigner = (key: string) => Promise<string>;

export function keySigner(media: MediaUrlSigner, expiresInSeconds: number): KeySigner {
  const signed = new Map<string, Promise<string>>();
  return (key) => {
    let url = signed.get(key);
    if (!url) signed.set(key, (url = media.signedGetUrl(key, expiresInSeconds)));
    return url;
  };
}

/** The public track (API.md): storage details such as keys and hashes stay on the server. */
export async function presentTrack(track: TrackRecord, sign: KeySigner): Promise<Track> {
  return {
    id: track.id,
    title: track.title,
    artist: track.artist,
    artistId: track.artistId,
    album: track.album,
    albumId: track.albumId,
    ...(track.trackNumber !== undefined ? { trackNumber: track.trackNumber } : {}),
    ...(track.discNumber !== undefined ? { discNumber: track.discNumber } : {}),
    durationMs: track.durationMs,
    ...(track.genre !== undefined ? { genre: track.genre } : {}),
    ...(track.year !== undefined ? { year: track.year } : {}),
    ...(track.coverKey ? { coverUrl: await sign(track.coverKey) } : {}),
  };
}

export const presentTracks = (tracks: readonly TrackRecord[], sign: KeySigner) => Promise.all(tracks.map((t) => presentTrack(t, sign)));

export async function presentAlbum(album: Album & { coverKey?: string }, sign: KeySigner): Promise<Album> {
  const { coverKey, ...rest } = album;
  return { ...rest, ...(coverKey ? { coverUrl: await sign(coverKey) } : {}) };
}

export const presentAlbums = (albums: readonly (Album & { coverKey?: string })[], sign: KeySigner) =>
  Promise.all(albums.map((a) => presentAlbum(a, sign)));
