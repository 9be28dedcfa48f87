import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TrackRecord } from '../../domain/catalog';
import { unavailable } from '../../domain/errors';
import { batchPutAll } from './batch';
import { albumAttributes, albumKey, albumOwnerAttributes, albumTracksPartition, artistAttributes, artistKey, toTrack, trackItem, trackKey } from './catalog-items';
import { backoff, chunks } from './cursor';
import { updateExpression } from './update-expression';

type Item = Record<string, unknown>;
type Counts = Record<string, number>;
const MAX_ATTEMPTS = 8;

/**
 * Saves a batch of tracks with few round trips, keeping album and artist counts right under
 * re-saves, album/artist moves and concurrent writers (without transactions).
 *
 * Counts are never incremented: they are *derived* values, recomputed from the source of truth
 * for every album and artist the batch touches, so re-saving tracks cannot double-count and any
 * earlier drift heals on the next save that touches the album or artist.
 *
 * 1. BatchGetItem (consistent) the tracks' current items, to learn the albums/artists they leave.
 * 2. BatchWriteItem the track items, 25 per request, retrying unprocessed items with backoff.
 * 3. Per touched album: *bump* (upsert attributes, `ADD countVersion 1`, read the new version),
 *    *recount* (Query gsi1 `album#<id>`), then write `trackCount` and `artistTrackCounts` (tracks
 *    per artist on this album) only `IF countVersion = <our version>`.
 * 4. Per touched artist: bump (`ADD countVersion 1`, `ADD albumIds <albums it is on>`, a set
 *    that only grows), read those album items consistently, and write `trackCount` (sum of its
 *    entries in `artistTrackCounts`) and `albumCount` (albums it owns that have tracks) only
 *    `IF countVersion = <our version>`.
 *
 * Why the version check makes concurrent writers safe: a writer's recount starts after its bump,
 * and its bump comes after its own track writes. If its conditional write fails, someone bumped
 * later, so that writer's recount starts after our tracks were written and covers them; the last
 * bumper always succeeds. No retry loop is needed, and a stale recount can never overwrite a newer
 * one (a version only grows, so there is no ABA). Album recounts happen before artist bumps, and a
 * writer that changes an album's per-artist counts then recomputes every artist involved.
 *
 * gsi1 is eventually consistent in DynamoDB, so the recount merges in what this batch itself
 * wrote (its tracks join or leave the album whatever the index shows yet); only another writer's
 * write landing within the index lag of our recount can be missed, and the next save touching
 * the album corrects it.
 */
export async function saveTrackBatch(doc: DynamoDBDocumentClient, table: string, input: readonly TrackRecord[]): Promise<void> {
  const tracks = [...new Map(input.map((t) => [t.id, t])).values()];
  if (!tracks.length) return;
  const previous = (await consistentBatchGet(doc, table, tracks.map((t) => trackKey(t.id)))).map(toTrack);
  await batchPutAll(doc, table, tracks.map(trackItem));

  // As with one save after another: the album's first track names its owner, the last its attributes.
  const firstOfAlbum = new Map<string, TrackRecord>(tracks.toReversed().map((t) => [t.albumId, t]));
  const lastOfAlbum = new Map<string, TrackRecord>(tracks.map((t) => [t.albumId, t]));
  const albumIds = new Set([...lastOfAlbum.keys(), ...previous.map((t) => t.albumId)]);
  const artistIds = new Set([...tracks.map((t) => t.artistId), ...previous.map((t) => t.artistId)]);
  const albums = await Promise.all([...albumIds].map((id) => recountAlbum(doc, table, id, tracks, lastOfAlbum.get(id), firstOfAlbum.get(id))));
  for (const album of albums) for (const artist of album.artists) artistIds.add(artist);

  const byArtist = new Map<string, TrackRecord>(tracks.map((t) => [t.artistId, t]));
  await Promise.all(
    [...artistIds].map((artistId) => {
      const on = albums.filter((a) => a.owner === artistId || (a.counts[artistId] ?? 0) > 0).map((a) => a.id);
      return recountArtist(doc, table, artistId, byArtist.get(artistId), on);
    }),
  );
}

interface AlbumRecount {
  id: string;
  owner?: string;
  /** Tracks per artist after the recount. */
  counts: Counts;
  /** Artists whose count on this album may have changed (before or after). */
  artists: string[];
}

async function recountAlbum(
  doc: DynamoDBDocumentClient,
  table: string,
  albumId: string,
  batch: readonly TrackRecord[],
  sample?: TrackRecord,
  first?: TrackRecord,
): Promise<AlbumRecount> {
  const bumped = await conditionalUpdate(doc, {
    TableName: table,
    Key: albumKey(albumId),
    // An album only left by tracks is not created here if it is gone.
    ...(sample ? {} : { ConditionExpression: 'attribute_exists(pk)' }),
    ...updateExpression({
      set: sample ? albumAttributes(sample) : {},
      setIfMissing: first ? albumOwnerAttributes(first) : {},
      add: { countVersion: 1 },
    }),
    ReturnValues: 'ALL_NEW',
  });
  if (!bumped) return { id: albumId, counts: {}, artists: [] };
  const before = (bumped.artistTrackCounts as Counts | undefined) ?? {};

  const members = new Map<string, string>();
  let start: Item | undefined;
  do {
    const out = await doc.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': albumTracksPartition(albumId) },
        ProjectionExpression: 'id, artistId',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) members.set(item.id as string, item.artistId as string);
    start = out.LastEvaluatedKey;
  } while (start);
  for (const track of batch) {
    if (track.albumId === albumId) members.set(track.id, track.artistId);
    else members.delete(track.id);
  }
  const counts: Counts = {};
  for (const artistId of members.values()) counts[artistId] = (counts[artistId] ?? 0) + 1;

  await conditionalUpdate(doc, {
    TableName: table,
    Key: albumKey(albumId),
    UpdateExpression: 'SET trackCount = :n, artistTrackCounts = :counts',
    ConditionExpression: 'countVersion = :v',
    ExpressionAttributeValues: { ':n': members.size, ':counts': counts, ':v': bumped.countVersion },
  });
  const artists = [...new Set([...Object.keys(before), ...Object.keys(counts)])];
  return { id: albumId, owner: bumped.artistId as string | undefined, counts, artists };
}

async function recountArtist(
  doc: DynamoDBDocumentClient,
  table: string,
  artistId: string,
  sample: TrackRecord | undefined,
  albumIds: string[],
): Promise<void> {
  const names: Record<string, string> = { '#version': 'countVersion' };
  const values: Record<string, unknown> = { ':one': 1 };
  const sets = Object.entries(sample ? artistAttributes(sample) : {}).map(([key, value], i) => {
    names[`#s${i}`] = key;
    values[`:s${i}`] = value;
    return `#s${i} = :s${i}`;
  });
  if (albumIds.length) values[':albums'] = new Set(albumIds);
  const bumped = await conditionalUpdate(doc, {
    TableName: table,
    Key: artistKey(artistId),
    UpdateExpression: [sets.length ? `SET ${sets.join(', ')}` : '', `ADD #version :one${albumIds.length ? ', albumIds :albums' : ''}`].join(' ').trim(),
    ...(sample ? {} : { ConditionExpression: 'attribute_exists(pk)' }),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ReturnValues: 'ALL_NEW',
  });
  if (!bumped) return;
  const known = [...((bumped.albumIds as Set<string> | undefined) ?? [])];
  const albums = await consistentBatchGet(doc, table, known.map(albumKey));
  let trackCount = 0;
  let albumCount = 0;
  for (const album of albums) {
    trackCount += (album.artistTrackCounts as Counts | undefined)?.[artistId] ?? 0;
    if (album.artistId === artistId && Number(album.trackCount ?? 0) > 0) albumCount += 1;
  }
  await conditionalUpdate(doc, {
    TableName: table,
    Key: artistKey(artistId),
    UpdateExpression: 'SET trackCount = :tracks, albumCount = :albums',
    ConditionExpression: 'countVersion = :v',
    ExpressionAttributeValues: { ':tracks': trackCount, ':albums': albumCount, ':v': bumped.countVersion },
  });
}

/** An UpdateItem whose failed condition is an expected outcome: undefined instead of an error. */
async function conditionalUpdate(doc: DynamoDBDocumentClient, input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<Item | undefined> {
  try {
    const out = await doc.send(new UpdateCommand(input));
    return out.Attributes ?? {};
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/** Strongly consistent BatchGetItem in chunks of 100, retrying unprocessed keys with backoff. */
async function consistentBatchGet(doc: DynamoDBDocumentClient, table: string, keys: readonly Item[]): Promise<Item[]> {
  const pages = await Promise.all(
    chunks(keys, 100).map(async (chunk) => {
      const found: Item[] = [];
      let pending: Item[] = chunk;
      for (let attempt = 0; pending.length; attempt++) {
        if (attempt === MAX_ATTEMPTS) throw unavailable('The catalog is busy, try again shortly');
        if (attempt > 0) await backoff(attempt);
        const out = await doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }));
        found.push(...(out.Responses?.[table] ?? []));
        pending = (out.UnprocessedKeys?.[table]?.Keys as Item[] | undefined) ?? [];
      }
      return found;
    }),
  );
  return pages.flat();
}
