import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PublishedFeed, HomeRepository } from '../../domain/shuffle';

/**
 * The home table holds one item, pk `feed` / sk `current`. Publishing overwrites it with a
 * single put, so a reader sees either the old feed or the new one, never a mix.
 */
const currentKey = { pk: 'feed', sk: 'current' } as const;

export class DynamoHomeRepository implements HomeRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async current(): Promise<PublishedFeed | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: currentKey, ConsistentRead: true }));
    if (!out.Item) return undefined;
    return {
      generatedAt: out.Item.generatedAt as string,
      trackIds: (out.Item.trackIds as string[] | undefined) ?? [],
      sections: (out.Item.sections as PublishedFeed['sections'] | undefined) ?? [],
    };
  }

  async publish(feed: PublishedFeed): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...currentKey, generatedAt: feed.generatedAt, trackIds: feed.trackIds, sections: feed.sections },
      }),
    );
  }
}
