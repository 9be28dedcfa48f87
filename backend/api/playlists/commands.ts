import type { TrackRecord } from '../../domain/catalog';
import type { CatalogRepository } from '../../domain/ports';
import { conflict, invalidInput, notFound } from '../../domain/errors';
import {
  applyPlaylistUpdate,
  FIRST_VERSION,
  type AddEntriesInput,
  type CreatePlaylistInput,
  type Playlist,
  type PlaylistEntry,
  type PlaylistRepository,
  type UpdatePlaylistInput,
} from '../../domain/playlists';
import { planRanks, REBALANCE_WINDOWS } from '../../domain/rank';
import { newId } from '../new-id';

const REBALANCE_ATTEMPTS = 5;

export interface PlaylistCommandDeps {
  playlists: PlaylistRepository;
  catalog: CatalogRepository;
  now: () => Date;
  random?: () => number;
}

/** The use cases behind the playlist routes; every one is scoped to the verified user. */
export function playlistCommands({ playlists, catalog, now, random }: PlaylistCommandDeps) {
  async function requirePlaylist(userId: string, playlistId: string): Promise<Playlist> {
    const playlist = await playlists.getPlaylist(userId, playlistId);
    // Someone else's playlist looks exactly like a missing one.
    if (!playlist) throw notFound('Playlist');
    return playlist;
  }

  /**
   * Ranks for `count` entries in the gap between `before` and `after`. Keys stay under
   * `MAX_RANK_LENGTH`: when the gap is worn down by many edits at one spot, the neighbouring
   * entries are rebalanced first (widening the window as needed), with single-item writes
   * conditional on each entry's old rank; if one fails (a concurrent edit), the plan is redone.
   */
  async function placeRanks(playlistId: string, around: { before: string | null; after: string | null }, count: number, ignore?: string) {
    const plain = planRanks({ lower: around.before, before: [], after: [], upper: around.after }, count, random);
    if (plain.kind === 'ranks' && !plain.rewrites.length) return plain.ranks;
    for (let attempt = 0; attempt < REBALANCE_ATTEMPTS; attempt++) {
      for (const size of REBALANCE_WINDOWS) {
        const plan = planRanks(await playlists.rankWindow(playlistId, around.after, size, ignore), count, random);
        if (plan.kind === 'widen') continue;
        if (await playlists.rewriteRanks(playlistId, plan.rewrites)) return plan.ranks;
        break;
      }
    }
    throw conflict('The playlist is being reordered by someone else; try again');
  }

  return {
    requirePlaylist,

    async createPlaylist(userId: string, input: CreatePlaylistInput): Promise<Playlist> {
      const at = now();
      const playlist: Playlist = {
        id: newId('pl', at),
        name: input.name,
        description: input.description,
        entryCount: 0,
        version: FIRST_VERSION,
        createdAt: at.toISOString(),
        updatedAt: at.toISOString(),
      };
      await playlists.createPlaylist(userId, playlist);
      return playlist;
    },

    async updatePlaylist(userId: string, playlistId: string, input: UpdatePlaylistInput): Promise<Playlist> {
      const current = await requirePlaylist(userId, playlistId);
      // The write is conditional on `input.version`; a stale one fails there with the current version.
      const next = applyPlaylistUpdate({ ...current, version: input.version }, input, now().toISOString());
      return playlists.updatePlaylist(userId, next);
    },

    async deletePlaylist(userId: string, playlistId: string): Promise<void> {
      if (!(await playlists.deletePlaylist(userId, playlistId))) throw notFound('Playlist');
    },

    /**
     * Appends or inserts entries; all tracks must exist, and the order of `trackIds` is kept.
     * Returns the new entries and their tracks, so presenting them needs no second lookup.
     */
    async addEntries(
      userId: string,
      playlistId: string,
      input: AddEntriesInput,
    ): Promise<{ entries: PlaylistEntry[]; tracks: TrackRecord[] }> {
      await requirePlaylist(userId, playlistId);
      const tracks = await catalog.getTracks(input.trackIds);
      const known = new Set(tracks.map((t) => t.id));
      const unknown = input.trackIds.findIndex((id) => !known.has(id));
      if (unknown >= 0) throw invalidInput(`No track with id ${input.trackIds[unknown]}`, `trackIds.${unknown}`);

      const around = await playlists.neighbours(playlistId, input.position);
      if (!around) throw invalidInput('No such entry in this playlist', 'position.before');
      const ranks = await placeRanks(playlistId, around, input.trackIds.length);
      const at = now();
      const entries = input.trackIds.map((trackId, i) => ({
        id: newId('en', at),
        trackId,
        rank: ranks[i] as string,
        addedAt: at.toISOString(),
      }));
      await playlists.addEntries(userId, playlistId, entries, at.toISOString());
      return { entries, tracks };
    },

    /** Moves one entry before another (or to the end); only the moved entry is rewritten. */
    async moveEntry(userId: string, playlistId: string, entryId: string, before: string | null): Promise<PlaylistEntry> {
      await requirePlaylist(userId, playlistId);
      const entry = await playlists.getEntry(playlistId, entryId);
      if (!entry) throw notFound('Entry');
      if (before === entryId) return entry;
      const around = await playlists.neighbours(playlistId, before === null ? 'end' : { before }, entryId);
      if (!around) throw invalidInput('No such entry in this playlist', 'before');
      // Already in place: nothing to write.
      if ((around.before === null || around.before < entry.rank) && (around.after === null || entry.rank < around.after)) {
        return entry;
      }
      const [rank] = await placeRanks(playlistId, around, 1, entryId);
      const moved = await playlists.moveEntry(playlistId, entryId, rank as string);
      if (!moved) throw notFound('Entry');
      return moved;
    },

    async removeEntry(userId: string, playlistId: string, entryId: string): Promise<void> {
      await requirePlaylist(userId, playlistId);
      if (!(await playlists.removeEntry(userId, playlistId, entryId, now().toISOString()))) throw notFound('Entry');
    },
  };
}
