import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import pLimit from 'p-limit';
import { ScanCommand, UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { TrackRecord } from '../../domain/catalog';
import { countCatalog } from '../../domain/catalog-counts';
import { albumIdFor } from '../../domain/ids';
import { albumAttributes, albumKey, albumOwnerAttributes, artistAttributes, artistKey, toTrack } from './catalog-items';
import { updateExpression } from './update-expression';

type Item = Record<string, unknown>;

/** Attributes of the earlier count design (a version-checked recount after every save); nothing reads them now. */
const OLD_ATTRIBUTES = ['countVersion', 'artistTrackCounts', 'albumIds'] as const;

/** UpdateItems in flight at once: quick on DynamoDB Local, gentle on a provisioned table. */
const CONCURRENCY = 8;

export interface RecountSummary {
  tracks: number;
  albums: number;
  artists: number;
  /** Albums and artists rewritten: a count was wrong, or an old attribute was left on them. */
  corrected: number;
  /** Albums and artists that had tracks but no item of their own, written now. */
  created: number;
}

/**
 * Sets every album's and artist's counts to a recount from the tracks (`countCatalog`) and
 * removes the attributes of the earlier design, once, after upgrading from it. That design
 * recounted after writing the tracks, so a save cut short could leave counts wrong for good, or
 * tracks whose album and artist items were never written (those are written here, as a save
 * would). Saves now keep counts right by themselves (`catalog-batch-save.ts`).
 *
 * An offline job: run it while no import runs. A scan is not a snapshot, so a save landing
 * during it may be counted from half its state (running it again then sets that right). Only
 * items whose counts or attributes change are written.
 */
export async function recountCatalog(doc: DynamoDBDocumentClient, table: string): Promise<RecountSummary> {
  const items = await scanAll(doc, table);
  const tracks = items.filter((item) => item.sk === 'track').map(toTrack);
  const albums = new Map(items.filter((item) => item.sk === 'album').map((item) => [item.id as string, item]));
  const artists = new Map(items.filter((item) => item.sk === 'artist').map((item) => [item.id as string, item]));

  const tracksOnAlbum = groupBy(tracks, (t) => t.albumId);
  const trackByArtist = new Map(tracks.map((t) => [t.artistId, t]));
  const owners = new Map<string, string>();
  for (const [id, album] of albums) if (typeof album.artistId === 'string') owners.set(id, album.artistId);
  const missingAlbums = new Map([...tracksOnAlbum].filter(([id]) => !albums.has(id)).map(([id, on]) => [id, ownerTrack(id, on)]));
  for (const [id, owner] of missingAlbums) owners.set(id, owner.artistId);
  const counts = countCatalog(tracks, owners);

  const updates: UpdateCommandInput[] = [];
  let created = 0;
  for (const id of new Set([...counts.albums.keys(), ...albums.keys()])) {
    const trackCount = counts.albums.get(id) ?? 0;
    const stored = albums.get(id);
    const owner = missingAlbums.get(id);
    if (stored && stored.trackCount === trackCount && !hasOldAttributes(stored)) continue;
    if (!stored && !owner) continue;
    if (!stored) created += 1;
    const attributes = owner ? { ...albumAttributes(tracksOnAlbum.get(id)!.at(-1)!), ...albumOwnerAttributes(owner) } : {};
    updates.push(rewrite(table, albumKey(id), { ...attributes, trackCount }, stored !== undefined));
  }
  const none = { trackCount: 0, albumCount: 0 };
  for (const id of new Set([...counts.artists.keys(), ...artists.keys()])) {
    const { trackCount, albumCount } = counts.artists.get(id) ?? none;
    const stored = artists.get(id);
    // An artist with no track and no item of its own (only the owner of an album) has nothing to name it by.
    const sample = trackByArtist.get(id);
    if (stored && stored.trackCount === trackCount && stored.albumCount === albumCount && !hasOldAttributes(stored)) continue;
    if (!stored && !sample) continue;
    if (!stored) created += 1;
    updates.push(
      rewrite(table, artistKey(id), { ...(stored ? {} : artistAttributes(sample!)), trackCount, albumCount }, stored !== undefined),
    );
  }

  const limit = pLimit(CONCURRENCY);
  await Promise.all(
    updates.map((update) =>
      limit(async () => {
        try {
          await doc.send(new UpdateCommand(update));
        } catch (error) {
          // Gone since the scan: nothing of it is left to count.
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }),
    ),
  );
  return { tracks: tracks.length, albums: counts.albums.size, artists: counts.artists.size, corrected: updates.length - created, created };
}

/** `SET` the attributes and `REMOVE` the old ones; `existing` writes only an item still there. */
function rewrite(table: string, key: Item, set: Item, existing: boolean): UpdateCommandInput {
  const update = updateExpression({ set });
  const removed = Object.fromEntries(OLD_ATTRIBUTES.map((name, i) => [`#old${i}`, name]));
  return {
    TableName: table,
    Key: key,
    UpdateExpression: `${update.UpdateExpression} REMOVE ${Object.keys(removed).join(', ')}`,
    ExpressionAttributeNames: { ...update.ExpressionAttributeNames, ...removed },
    ExpressionAttributeValues: update.ExpressionAttributeValues,
    ...(existing ? { ConditionExpression: 'attribute_exists(pk)' } : {}),
  };
}

const hasOldAttributes = (item: Item) => OLD_ATTRIBUTES.some((name) => name in item);

/**
 * The track that names a missing album's owner: one by the artist whose name the album's id was
 * made from (its album artist), else, as for a save, a track of the album (here the first by id).
 */
function ownerTrack(albumId: string, tracks: readonly TrackRecord[]): TrackRecord {
  const byId = tracks.toSorted((a, b) => a.id.localeCompare(b.id));
  return byId.find((t) => albumIdFor(t.artist, t.album) === albumId) ?? byId[0]!;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/** The whole table, read consistently: the counts must include every track written before. */
export async function scanAll(doc: DynamoDBDocumentClient, table: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await doc.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}
