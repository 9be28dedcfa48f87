import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TrackPlays, TrackPlaysSource } from '../../domain/search';

/** The home table's partition of the weekly plays; the only one the search function may read. */
export const POPULAR_PLAYS_PARTITION = 'popular';

/**
 * Reads the weekly plays the home feed's schedule publishes in the home table: pk `popular`,
 * sk `current`, `trackIds` (most played first) with `plays` aligned. On the low-level client,
 * like the revocation check beside it in the search function, so its bundle holds no document client.
 */
export class DynamoTrackPlays implements TrackPlaysSource {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  async current(): Promise<TrackPlays | undefined> {
    const out = await this.client.send(
      new GetItemCommand({
        TableName: this.table,
        Key: { pk: { S: POPULAR_PLAYS_PARTITION }, sk: { S: 'current' } },
        ProjectionExpression: 'generatedAt, trackIds, plays',
      }),
    );
    if (!out.Item) return undefined;
    const ids = out.Item.trackIds?.L ?? [];
    const plays = out.Item.plays?.L ?? [];
    const byTrack = new Map<string, number>();
    ids.forEach((id, i) => {
      const count = Number(plays[i]?.N);
      if (id.S && Number.isFinite(count)) byTrack.set(id.S, count);
    });
    return { generatedAt: out.Item.generatedAt?.S ?? '', byTrack };
  }
}
