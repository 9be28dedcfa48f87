import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TrackRecord } from '../../domain/catalog';
import { countChanges, type AlbumCount, type TrackMove } from '../../domain/catalog-counts';
import { conflict } from '../../domain/errors';
import { batchGetAll } from './batch';
import { albumAttributes, albumKey, albumOwnerAttributes, artistAttributes, artistKey, trackItem, trackKey } from './catalog-items';
import { again, BATCH_FIRST_BACKOFF_MS, retrying } from './retry';
import { MAX_TRANSACTION_ACTIONS, TransactionConditionFailed, transactWrite, type TransactItem } from './transactions';
import { updateExpression } from './update-expression';

type Item = Record<string, unknown>;

/**
 * How many times a transaction whose reads went stale is planned again before the caller gets a
 * retryable 409. Generous because only the import and the demo seed save tracks: no Lambda's
 * time limit is running, and a re-plan costs one more read and transaction, never a wrong count.
 * Writers moving tracks between the same few albums re-plan each other several times in a row
 * (up to six seen with six writers and a dozen albums); with the backoff (1.6 s at most) twenty
 * tries wait up to about 25 s before giving up.
 */
const MAX_ATTEMPTS = 20;

/**
 * Saves a batch of tracks and keeps album and artist counts right (see `catalog-counts.ts`)
 * across crashes, re-saves, album/artist moves and concurrent writers, with transactions.
 *
 * Each TransactWriteItems holds some tracks (one album's tracks side by side, as many as fit in
 * DynamoDB's 100 actions; a batch of the import is usually one transaction) together with the
 * count changes they make, as increments of the albums and artists they join or leave:
 *
 * 1. Read consistently the tracks' current items and the albums they join or leave.
 * 2. Work out the changes from that (`countChanges`): only a new or moved track counts.
 * 3. Write, all or nothing: each track, *if it is still where we read it* (same album and artist,
 *    or still absent); each album whose count changes `ADD trackCount`, *if its count still stands
 *    where we read it* (the same count, or still absent; only still above zero when it stays
 *    above zero, see `albumCondition`); each artist `ADD trackCount, albumCount`, unconditioned.
 *
 * Why this holds under a crash: tracks and the counts they change land in one transaction, so a
 * process that dies between transactions leaves whole transactions behind, never tracks without
 * their counts. Saving the same batch again (or running the import again, which skips the tracks
 * already stored) only adds what is missing: a track already where it belongs changes no count.
 *
 * Why it holds under concurrency: the increments are right if the state they were computed from
 * is still current when they land, and the conditions check the part of it they depend on. A
 * track's condition stops two writers from both counting the same move; an album's condition
 * stops two writers from both counting its first track (its owner's `albumCount`) or its last. An album's
 * owner never changes once set, so its count alone decides its owner's share, and an
 * intervening change that returned the count to what we read (ABA) leaves our increments right.
 * Artists take increments only, which add up in any order. A transaction whose condition failed
 * changed nothing: it is read and planned again (optimistic concurrency); colliding transactions
 * are retried by `transactWrite`. Transactions touch only the albums their tracks join or leave,
 * and the artists of those tracks and the owners of those albums (their `albumCount`): writers
 * of different albums meet only on a shared artist, as a retried collision.
 *
 * Recomputing counts after the writes instead (even with a dirty marker written atomically with
 * the tracks) leaves them wrong between a crash and the next sweep, and needs a recount query
 * per album on every save; the increments here cost a read or two and one write per batch.
 * They keep counts right from now on; counts that drifted under the earlier design are set
 * right once by `recountCatalog` (`npm run reindex -- --recount`).
 */
export async function saveTrackBatch(doc: DynamoDBDocumentClient, table: string, input: readonly TrackRecord[]): Promise<void> {
  const unique = [...new Map(input.map((t) => [t.id, t])).values()];
  // One album's tracks side by side, so that a transaction splits as few albums as possible.
  const byAlbum = new Map<string, TrackRecord[]>();
  for (const track of unique) {
    const album = byAlbum.get(track.albumId);
    if (album) album.push(track);
    else byAlbum.set(track.albumId, [track]);
  }
  let pending = [...byAlbum.values()].flat();
  while (pending.length) {
    const saved = await saveSome(doc, table, pending.slice(0, MAX_TRANSACTION_ACTIONS));
    pending = pending.slice(saved);
  }
}

/** Saves the longest prefix of `tracks` that fits one transaction; returns its length. */
async function saveSome(doc: DynamoDBDocumentClient, table: string, tracks: readonly TrackRecord[]): Promise<number> {
  return retrying(
    async () => {
      const plan = planSave(table, tracks, await readStored(doc, table, tracks));
      try {
        await transactWrite(doc, plan.actions);
        return plan.saved;
      } catch (error) {
        if (error instanceof TransactionConditionFailed) return again();
        throw error;
      }
    },
    {
      maxAttempts: MAX_ATTEMPTS,
      firstBackoffMs: BATCH_FIRST_BACKOFF_MS,
      giveUp: () => conflict('Someone else is changing the same albums; try again', { retryable: true }),
    },
  );
}

interface Stored {
  tracks: Map<string, Item>;
  albums: Map<string, Item>;
}

/** The current items of `tracks` and of every album they join or leave, read consistently. */
async function readStored(doc: DynamoDBDocumentClient, table: string, tracks: readonly TrackRecord[]): Promise<Stored> {
  const joined = new Set(tracks.map((t) => t.albumId));
  const stored: Stored = { tracks: new Map(), albums: new Map() };
  const keep = (items: Item[]) => {
    for (const item of items) (item.sk === 'track' ? stored.tracks : stored.albums).set(item.id as string, item);
  };
  const consistent = { consistent: true };
  keep(await batchGetAll(doc, table, [...tracks.map((t) => trackKey(t.id)), ...[...joined].map(albumKey)], consistent));
  const left = new Set([...stored.tracks.values()].map((t) => t.albumId as string).filter((id) => !joined.has(id)));
  if (left.size) keep(await batchGetAll(doc, table, [...left].map(albumKey), consistent));
  return stored;
}

/** The transaction saving the longest prefix of `tracks` that fits, with the count changes it makes. */
function planSave(table: string, tracks: readonly TrackRecord[], stored: Stored): { actions: TransactItem[]; saved: number } {
  // Which albums and artists each track may touch: its album and artist, before and after, and
  // the owners of both albums (their album counts). Bounds the transaction before it is built.
  const albumIds = new Set<string>();
  const artistIds = new Set<string>();
  let saved = 0;
  for (const track of tracks) {
    const before = stored.tracks.get(track.id);
    const albums = [track.albumId, before?.albumId as string | undefined].filter((id) => id !== undefined);
    const owners = albums.map((id) => stored.albums.get(id)?.artistId as string | undefined);
    const artists = [track.artistId, before?.artistId as string | undefined, ...owners].filter((id) => id !== undefined);
    const nextAlbums = new Set([...albumIds, ...albums]);
    const nextArtists = new Set([...artistIds, ...artists]);
    if (saved + 1 + nextAlbums.size + nextArtists.size > MAX_TRANSACTION_ACTIONS) break;
    nextAlbums.forEach((id) => albumIds.add(id));
    nextArtists.forEach((id) => artistIds.add(id));
    saved += 1;
  }
  const batch = tracks.slice(0, saved);

  // As with one save after another: the album's first track names its owner, the last its attributes.
  const firstOfAlbum = new Map(batch.toReversed().map((t) => [t.albumId, t]));
  const lastOfAlbum = new Map(batch.map((t) => [t.albumId, t]));
  const lastOfArtist = new Map(batch.map((t) => [t.artistId, t]));
  const counts = new Map<string, AlbumCount>();
  for (const id of albumIds) {
    const album = stored.albums.get(id);
    const owner = (album?.artistId as string | undefined) ?? firstOfAlbum.get(id)?.artistId;
    if (owner) counts.set(id, { ownerId: owner, trackCount: Number(album?.trackCount ?? 0) });
  }
  const moves: TrackMove[] = batch.map((track) => {
    const before = stored.tracks.get(track.id);
    return { before: before && { albumId: before.albumId as string, artistId: before.artistId as string }, after: track };
  });
  const changes = countChanges(moves, counts);

  const actions: TransactItem[] = batch.map((track) => {
    const before = stored.tracks.get(track.id);
    return {
      Put: {
        TableName: table,
        Item: trackItem(track),
        ...(before
          ? {
              ConditionExpression: 'albumId = :album AND artistId = :artist',
              ExpressionAttributeValues: { ':album': before.albumId, ':artist': before.artistId },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    };
  });
  for (const id of albumIds) {
    const album = stored.albums.get(id);
    const delta = changes.albums.get(id) ?? 0;
    const last = lastOfAlbum.get(id);
    const first = firstOfAlbum.get(id);
    // An album only left by tracks and missing (it never counted them) is not created here.
    if (!last && (!delta || !album)) continue;
    const update = updateExpression({
      set: last ? albumAttributes(last) : {},
      setIfMissing: first ? albumOwnerAttributes(first) : {},
      add: { trackCount: delta },
    });
    const condition = delta ? albumCondition(album, delta) : undefined;
    actions.push({
      Update: {
        TableName: table,
        Key: albumKey(id),
        ...update,
        ...(condition && {
          ConditionExpression: condition.expression,
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ...condition.values },
        }),
      },
    });
  }
  for (const id of artistIds) {
    const change = changes.artists.get(id);
    const sample = lastOfArtist.get(id);
    if (!change && !sample) continue;
    const update = updateExpression({
      set: sample ? artistAttributes(sample) : {},
      add: { trackCount: change?.trackCount ?? 0, albumCount: change?.albumCount ?? 0 },
    });
    actions.push({ Update: { TableName: table, Key: artistKey(id), ...update } });
  }
  return { actions, saved };
}

/**
 * The condition under which adding `delta` to an album read as `album` (absent: not there) still
 * changes its owner's `albumCount` as planned. While the count stays above zero before and after,
 * the owner's share does not change whatever the exact count, so any count above `-delta` (and
 * above zero) will do, and writers adding to the same album do not re-plan each other. An album
 * gaining its first track or losing its last needs the very count we read.
 */
function albumCondition(album: Item | undefined, delta: number): { expression: string; values?: Item } {
  if (!album) return { expression: 'attribute_not_exists(pk)' };
  if (album.trackCount === undefined) return { expression: 'attribute_not_exists(trackCount)' };
  const seen = Number(album.trackCount);
  if (seen > 0 && seen + delta > 0) return { expression: 'trackCount > :above', values: { ':above': Math.max(0, -delta) } };
  return { expression: 'trackCount = :seen', values: { ':seen': seen } };
}
