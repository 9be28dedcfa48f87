import type { AddEntriesInput, CreatePlaylistInput, UpdatePlaylistInput } from '../../../shared/api/requests';
import type { TrackRecord } from '../../domain/catalog';
import type { CatalogRepository } from '../../domain/ports';
import { conflict, idempotencyKeyReused, invalidInput, notFound, PartialWrite } from '../../domain/errors';
import {
  chunkBounds,
  claimFor,
  IdempotencyKeyTaken,
  planChunks,
  type EntriesPlan,
  type IdempotencyClaim,
  type IdempotencyRecord,
} from '../../domain/idempotency';
import { applyPlaylistUpdate, FIRST_VERSION, type Playlist, type PlaylistEntry, type PlaylistRepository } from '../../domain/playlists';
import { planRanks, REBALANCE_WINDOWS, type RankRewrite } from '../../domain/rank';
import { newId } from '../new-id';

const REBALANCE_ATTEMPTS = 5;

/** A request's Idempotency-Key with the fingerprint of the request (`requestFingerprint`). */
export interface KeyedRequest {
  key: string;
  fingerprint: string;
}

/** What a create or an add answers, and whether it was stored earlier (a replay) rather than written now. */
export interface Answer<T> {
  value: T;
  replayed: boolean;
}

/** How many chunks of an add this request wrote itself. */
type Written = { chunks: number };

const seconds = (at: Date) => Math.floor(at.getTime() / 1000);
/** Another request with the same key is between its read and its write: the client's retry will find its record. */
const keyBusy = () => conflict('A request with this Idempotency-Key is in progress; try again', { retryable: true });

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
   * Ranks for `count` entries in the gap between `before` and `after`, handed to `write` with
   * the rewrites they need. Keys stay under `MAX_RANK_LENGTH`: when the gap is worn down by many
   * edits at one spot, the neighbouring entries are rebalanced (widening the window as needed),
   * with writes conditional on each entry's old rank. `write` returns undefined when one of those
   * failed (a concurrent edit); then the plan is redone. A window read for a move holds the
   * moving entry too, so its rewrites can keep it in place until the move itself is written.
   */
  async function placeRanks<T>(
    playlistId: string,
    around: { before: string | null; after: string | null },
    count: number,
    write: (ranks: string[], rewrites: readonly RankRewrite[]) => Promise<T | undefined>,
  ): Promise<T> {
    const plain = planRanks({ lower: around.before, before: [], after: [], upper: around.after }, count, random);
    if (plain.kind === 'ranks' && !plain.rewrites.length) {
      const written = await write(plain.ranks, []);
      if (written !== undefined) return written;
    }
    for (let attempt = 0; attempt < REBALANCE_ATTEMPTS; attempt++) {
      for (const size of REBALANCE_WINDOWS) {
        const plan = planRanks(await playlists.rankWindow(playlistId, around.after, size), count, random);
        if (plan.kind === 'widen') continue;
        const written = await write(plan.ranks, plan.rewrites);
        if (written !== undefined) return written;
        break;
      }
    }
    throw conflict('The playlist is being reordered by someone else; try again', { retryable: true });
  }

  /** The record the user's key holds; 422 when it holds another request than this one. */
  async function recorded(userId: string, request: KeyedRequest): Promise<IdempotencyRecord | undefined> {
    const record = await playlists.findIdempotencyRecord(userId, request.key, seconds(now()));
    if (record && record.fingerprint !== request.fingerprint) throw idempotencyKeyReused();
    return record;
  }

  /**
   * Writes chunks `from`… of an add, each entries + count (+ the key's record) in one write. A
   * failure after the first chunk leaves a consistent prefix and says how long it is.
   */
  async function writeChunks(
    userId: string,
    plan: EntriesPlan,
    from: number,
    claim: IdempotencyClaim | undefined,
    written: Written,
  ): Promise<void> {
    for (let chunk = from; chunk < plan.chunks.length; chunk++) {
      const [start, end] = chunkBounds(plan.chunks, chunk);
      try {
        const guard = claim && { claim, plan, chunk };
        await playlists.addEntries(userId, plan.playlistId, plan.entries.slice(start, end), now().toISOString(), guard);
        written.chunks += 1;
      } catch (error) {
        if (start === 0 || error instanceof IdempotencyKeyTaken) throw error;
        throw new PartialWrite(error, { added: start, requested: plan.entries.length });
      }
    }
  }

  /**
   * Answers an add from the record its key holds: the stored entries once every chunk is written,
   * else the add resumed from where it stopped, with the stored plan. A retry running beside
   * another resumes too; the record's `done` lets only one of them write each chunk.
   */
  async function completeRecordedAdd(
    userId: string,
    request: KeyedRequest,
    found: IdempotencyRecord,
    written: Written = { chunks: 0 },
  ): Promise<Answer<PlaylistEntry[]>> {
    let record: IdempotencyRecord | undefined = found;
    // Each pass either finishes or finds `done` advanced by another request, so it ends.
    for (let attempt = 0; record; attempt++) {
      if (record.kind !== 'entries') throw idempotencyKeyReused();
      const { plan, done } = record;
      if (done >= plan.chunks.length) return { value: plan.entries, replayed: written.chunks === 0 };
      if (attempt > plan.chunks.length) break;
      try {
        await writeChunks(userId, plan, done, claimFor(request.key, request.fingerprint, now()), written);
        return { value: plan.entries, replayed: false };
      } catch (error) {
        if (!(error instanceof IdempotencyKeyTaken)) throw error;
        record = await recorded(userId, request);
      }
    }
    throw keyBusy();
  }

  return {
    requirePlaylist,

    /** Creates a playlist; with a key, once: a repeat answers the playlist the first one created. */
    async createPlaylist(userId: string, input: CreatePlaylistInput, request?: KeyedRequest): Promise<Answer<Playlist>> {
      const replay = (record: IdempotencyRecord | undefined): Answer<Playlist> => {
        if (!record) throw keyBusy();
        if (record.kind !== 'playlist') throw idempotencyKeyReused();
        return { value: record.playlist, replayed: true };
      };
      if (request) {
        const record = await recorded(userId, request);
        if (record) return replay(record);
      }
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
      try {
        await playlists.createPlaylist(userId, playlist, request && claimFor(request.key, request.fingerprint, at));
      } catch (error) {
        // A concurrent request with the same key came first: answer as it did.
        if (request && error instanceof IdempotencyKeyTaken) return replay(await recorded(userId, request));
        throw error;
      }
      return { value: playlist, replayed: false };
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
     * Returns the new entries and, unless answered from a key's record, their tracks, so
     * presenting them needs no second lookup. With a key the add happens once, even when it
     * takes several writes and is retried after any of them.
     */
    async addEntries(
      userId: string,
      playlistId: string,
      input: AddEntriesInput,
      request?: KeyedRequest,
    ): Promise<Answer<PlaylistEntry[]> & { tracks?: TrackRecord[] }> {
      if (request) {
        const record = await recorded(userId, request);
        if (record) return completeRecordedAdd(userId, request, record);
      }
      await requirePlaylist(userId, playlistId);
      const tracks = await catalog.getTracks(input.trackIds);
      const known = new Set(tracks.map((t) => t.id));
      const unknown = input.trackIds.findIndex((id) => !known.has(id));
      if (unknown >= 0) throw invalidInput(`No track with id ${input.trackIds[unknown]}`, `trackIds.${unknown}`);

      const around = await playlists.neighbours(playlistId, input.position);
      if (!around) throw invalidInput('No such entry in this playlist', 'position.before');
      // A rebalance the new entries need is written first, on its own: the list stays in order without them.
      const ranks = await placeRanks(playlistId, around, input.trackIds.length, async (planned, rewrites) =>
        rewrites.length && !(await playlists.rewriteRanks(playlistId, rewrites)) ? undefined : planned,
      );
      const at = now();
      const entries = input.trackIds.map((trackId, i) => ({
        id: newId('en', at),
        trackId,
        rank: ranks[i] as string,
        addedAt: at.toISOString(),
      }));
      const plan: EntriesPlan = { playlistId, entries, chunks: planChunks(entries.length, playlists.entriesPerWrite) };
      const written: Written = { chunks: 0 };
      try {
        await writeChunks(userId, plan, 0, request && claimFor(request.key, request.fingerprint, at), written);
      } catch (error) {
        if (!(request && error instanceof IdempotencyKeyTaken)) throw error;
        // A concurrent request with the same key wrote first, or resumed ours: answer from (or finish) the recorded add.
        const record = await recorded(userId, request);
        if (!record) throw keyBusy();
        return completeRecordedAdd(userId, request, record, written);
      }
      return { value: entries, tracks, replayed: false };
    },

    /** Moves one entry before another (or to the end); only the moved entry is rewritten, unless its new place needs a rebalance. */
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
      const rank = await placeRanks(playlistId, around, 1, async ([planned], rewrites) => {
        const outcome = await playlists.moveEntry(playlistId, entryId, planned as string, rewrites);
        if (outcome === 'missing') throw notFound('Entry');
        return outcome === 'moved' ? (planned as string) : undefined;
      });
      return { ...entry, rank };
    },

    async removeEntry(userId: string, playlistId: string, entryId: string): Promise<void> {
      await requirePlaylist(userId, playlistId);
      if (!(await playlists.removeEntry(userId, playlistId, entryId, now().toISOString()))) throw notFound('Entry');
    },
  };
}
