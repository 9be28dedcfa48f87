import { GetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import '../../domain/zod-messages';
import type { Artist, Page, PageRequest, TrackRecord } from '../../domain/catalog';
import type { CatalogRepository } from '../../domain/ports';
import { batchGetAll } from './batch';
import { saveTrackBatch } from './catalog-batch-save';
import {
  albumKey,
  albumTracksPartition,
  artistAlbumsPartition,
  artistKey,
  KIND_PARTITION,
  toAlbum,
  toArtist,
  toTrack,
  trackKey,
  type StoredAlbum,
} from './catalog-items';
import { cursorOf, prefixedId, sortKeyText, startKeyOf } from './cursor';
import { queryAll } from './query-pages';

type Item = Record<string, unknown>;
type Kind = (typeof KIND_PARTITION)[keyof typeof KIND_PARTITION];
const ITEM_OF_KIND = { tracks: 'track', albums: 'album', artists: 'artist' } as const satisfies Record<Kind, string>;

/**
 * Start key of a page of one kind on gsi2: an item of that kind (pk `<item>#<id>`, sk `<item>`),
 * whose gsi2 sort key ends in that same id, as every gsi2 sort key does.
 */
function kindStartKey(kind: Kind) {
  const item = ITEM_OF_KIND[kind];
  return z
    .strictObject({ pk: prefixedId(`${item}#`), sk: z.literal(item), gsi2pk: z.literal(kind), gsi2sk: sortKeyText })
    .check(z.refine((key) => key.gsi2sk.endsWith(`#${key.pk.slice(item.length + 1)}`)));
}

/** The catalog in the tracks table (see `catalog-items.ts` for the item shapes). */
export class DynamoCatalogRepository implements CatalogRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** One track: the batch path with a batch of one (see `saveTracks`). */
  saveTrack(track: TrackRecord): Promise<void> {
    return this.saveTracks([track]);
  }

  /**
   * Writes the tracks in transactions that also carry the count changes of every album and
   * artist they join or leave, so a crash never leaves counts that disagree with the tracks.
   * Idempotent and safe for concurrent writers; the design is described in `catalog-batch-save.ts`.
   */
  saveTracks(tracks: readonly TrackRecord[]): Promise<void> {
    return saveTrackBatch(this.doc, this.table, tracks);
  }

  async getTrack(id: string): Promise<TrackRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: trackKey(id) }));
    return out.Item ? toTrack(out.Item) : undefined;
  }

  async getTracks(ids: readonly string[]): Promise<TrackRecord[]> {
    const unique = [...new Set(ids)];
    const items = await batchGetAll(this.doc, this.table, unique.map(trackKey));
    const byId = new Map(items.map((item) => [item.id as string, toTrack(item)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  listTracks(page: PageRequest): Promise<Page<TrackRecord>> {
    return this.pageOfKind(KIND_PARTITION.tracks, page, toTrack);
  }

  async listAllTrackIds(): Promise<string[]> {
    const items = await this.queryAll({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': KIND_PARTITION.tracks },
      ProjectionExpression: 'id',
    });
    return items.map((item) => item.id as string);
  }

  listAlbums(page: PageRequest): Promise<Page<StoredAlbum>> {
    return this.pageOfKind(KIND_PARTITION.albums, page, toAlbum);
  }

  listArtists(page: PageRequest): Promise<Page<Artist>> {
    return this.pageOfKind(KIND_PARTITION.artists, page, toArtist);
  }

  async getAlbum(id: string): Promise<StoredAlbum | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: albumKey(id) }));
    return out.Item ? toAlbum(out.Item) : undefined;
  }

  async getArtist(id: string): Promise<Artist | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: artistKey(id) }));
    return out.Item ? toArtist(out.Item) : undefined;
  }

  /** The album's tracks in disc/track order. */
  async listAlbumTracks(albumId: string): Promise<TrackRecord[]> {
    const items = await this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': albumTracksPartition(albumId) },
    });
    return items.map(toTrack);
  }

  /** The artist's albums, oldest first. */
  async listArtistAlbums(artistId: string): Promise<StoredAlbum[]> {
    const items = await this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': artistAlbumsPartition(artistId) },
    });
    return items.map(toAlbum);
  }

  private async pageOfKind<T>(kind: Kind, page: PageRequest, map: (item: Item) => T): Promise<Page<T>> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': kind },
        Limit: page.limit,
        ExclusiveStartKey: startKeyOf(page.cursor, kindStartKey(kind)),
      }),
    );
    return { items: (out.Items ?? []).map(map), cursor: cursorOf(out.LastEvaluatedKey) };
  }

  private queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Item[]> {
    return queryAll(this.doc, { ...input, TableName: this.table });
  }
}
