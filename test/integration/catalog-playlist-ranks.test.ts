import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../backend/adapters/dynamodb/client';
import { MAX_RANK_LENGTH } from '../../backend/domain/rank';
import { apiEvent, bodyOf, type EventOptions } from '../support/api-events';
import { makeTrack, startApiStack } from '../support/api-stack';

type Stack = Awaited<ReturnType<typeof startApiStack>>;
let stack: Stack;
const tracks = Array.from({ length: 12 }, (_, i) => makeTrack(3000 + i));

beforeAll(async () => {
  stack = await startApiStack();
  await stack.catalog.saveTracks(tracks);
});
afterAll(() => stack?.stop());

const call = (routeKey: string, options: EventOptions = {}) => stack.functions.playlists(apiEvent(routeKey, { sub: 'ranker', ...options }));

async function storedRanks(playlistId: string): Promise<{ id: string; rank: string }[]> {
  const { doc, client } = createDynamoClients({ region: stack.config.region, endpoint: stack.config.endpoints.dynamodb });
  const out = await doc.send(
    new QueryCommand({
      TableName: stack.config.tables.playlists,
      IndexName: 'byRank',
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `playlist#${playlistId}` },
    }),
  );
  client.destroy();
  return (out.Items ?? []).map((item) => ({ id: item.id as string, rank: item.rank as string }));
}

describe('playlist ranks under many edits at one spot', () => {
  it('keeps the order right and every key short over 600 moves to the same place', { timeout: 240_000 }, async () => {
    const playlist = bodyOf<{ id: string }>(await call('POST /playlists', { body: { name: 'Hot spot' } }));
    const path = { pathParameters: { id: playlist.id } };
    const added = bodyOf<{ items: { id: string }[] }>(
      await call('POST /playlists/{id}/entries', { ...path, body: { trackIds: tracks.map((t) => t.id) } }),
    );
    let order = added.items.map((e) => e.id);
    const anchor = order[6]!;

    for (let i = 0; i < 600; i++) {
      // Take the last entry and put it just before the anchor: the gap in front of it keeps narrowing.
      const moving = order.at(-1) === anchor ? order.at(-2)! : order.at(-1)!;
      const res = await call('PATCH /playlists/{id}/entries/{entryId}', {
        pathParameters: { id: playlist.id, entryId: moving },
        body: { before: anchor },
      });
      expect(res.statusCode).toBe(200);
      order = order.filter((id) => id !== moving);
      order.splice(order.indexOf(anchor), 0, moving);
    }

    const stored = await storedRanks(playlist.id);
    expect(stored.map((e) => e.id)).toEqual(order);
    expect(Math.max(...stored.map((e) => e.rank.length))).toBeLessThanOrEqual(MAX_RANK_LENGTH);
    const listed = bodyOf<{ items: { id: string }[] }>(await call('GET /playlists/{id}/entries', { ...path, query: { limit: '50' } }));
    expect(listed.items.map((e) => e.id)).toEqual(order);
  });
});
