import type { AlbumDetail, SignedIn, Track } from '@@/shared/api';

let sequence = 0;

/** A track with unique ids; override any field. */
export function makeTrack(overrides: Partial<Track> = {}): Track {
  const n = ++sequence;
  return {
    id: `trk_${n}`,
    title: `Track ${n}`,
    artist: 'The Testers',
    artistId: 'art_1',
    album: 'Fixtures',
    albumId: 'alb_1',
    trackNumber: n,
    durationMs: 180_000,
    ...overrides,
  };
}

/** `count` tracks of one album. */
export function makeTracks(count: number, overrides: Partial<Track> = {}): Track[] {
  return Array.from({ length: count }, () => makeTrack(overrides));
}

/** An album carrying `trackCount` tracks. */
export function makeAlbum(trackCount = 3, overrides: Partial<AlbumDetail> = {}): AlbumDetail {
  const n = ++sequence;
  const id = overrides.id ?? `alb_${n}`;
  const name = overrides.name ?? `Album ${n}`;
  return {
    id,
    name,
    artist: 'The Testers',
    artistId: 'art_1',
    trackCount,
    tracks: makeTracks(trackCount, { albumId: id, album: name }),
    ...overrides,
  };
}

/** What the auth server answers to a successful sign-in. */
export function makeSignedIn(overrides: Partial<SignedIn> = {}): SignedIn {
  return {
    accessToken: 'access-1',
    refreshToken: 'refresh-1',
    expiresIn: 900,
    user: { id: 'usr_1', email: 'ada@example.com', name: 'Ada' },
    ...overrides,
  };
}

/** A JSON `Response`, as `fetch` would resolve. */
export function jsonResponse(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/** An error body in the API's shape. */
export function errorBody(code: string, message: string, field?: string) {
  return { error: { code, message, ...(field && { field }) } };
}
