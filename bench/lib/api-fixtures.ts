import { seededRandom } from '../../test/support/random';
import { ApiClient, appendEntries, catalogTrackIds, expectStatus, signUp } from '../../test/support/api-client';
import type { LoadRequest } from './load';

/** The data the API bench works on, created through the API itself. */
export interface ApiFixtures {
  accessToken: string;
  api: ApiClient;
  /** A playlist with `entryCount` entries that only the read scenarios touch. */
  readPlaylistId: string;
  /** A playlist with `entryCount` entries whose entries the move scenario shuffles. */
  movePlaylistId: string;
  moveEntryIds: string[];
  /** An empty playlist the add scenario appends to. */
  addPlaylistId: string;
  trackIds: string[];
}

const json = (body: unknown) => JSON.stringify(body);

async function createPlaylist(api: ApiClient, name: string): Promise<string> {
  return expectStatus(await api.post<{ id: string }>('/playlists', { name }), 201, `create ${name}`).id;
}

/** Signs up a bench user and gives them `playlistCount` playlists, two of them with `entryCount` entries. */
export async function createApiFixtures(
  stack: { auth: string; api: string },
  { playlistCount, entryCount }: { playlistCount: number; entryCount: number },
): Promise<ApiFixtures> {
  const { accessToken } = await signUp(stack.auth, 'bench');
  const api = new ApiClient(stack.api, accessToken);
  const trackIds = await catalogTrackIds(api);
  const tracksFor = (count: number) => Array.from({ length: count }, (_, i) => trackIds[i % trackIds.length]!);

  const readPlaylistId = await createPlaylist(api, 'Read me');
  await appendEntries(api, readPlaylistId, tracksFor(entryCount));
  const movePlaylistId = await createPlaylist(api, 'Shuffle me');
  const moveEntryIds = await appendEntries(api, movePlaylistId, tracksFor(entryCount));
  const addPlaylistId = await createPlaylist(api, 'Grow me');
  for (let i = 3; i < playlistCount; i++) await createPlaylist(api, `Playlist ${i + 1}`);
  return { accessToken, api, readPlaylistId, movePlaylistId, moveEntryIds, addPlaylistId, trackIds };
}

/** `count` single-track appends, cycling through the catalog. */
export function addRequests(fixtures: ApiFixtures, count: number): LoadRequest[] {
  return Array.from({ length: count }, (_, i) => ({
    method: 'POST',
    path: `/playlists/${fixtures.addPlaylistId}/entries`,
    body: json({ trackIds: [fixtures.trackIds[i % fixtures.trackIds.length]] }),
  }));
}

/** `count` moves of random entries in front of other random entries (or to the end), reproducibly. */
export function moveRequests(fixtures: ApiFixtures, count: number, seed = 7): LoadRequest[] {
  const random = seededRandom(seed);
  const ids = fixtures.moveEntryIds;
  const pick = () => ids[Math.floor(random() * ids.length)]!;
  return Array.from({ length: count }, () => {
    const moving = pick();
    let before: string | null = pick();
    if (before === moving) before = null;
    return { method: 'PATCH', path: `/playlists/${fixtures.movePlaylistId}/entries/${moving}`, body: json({ before }) };
  });
}
