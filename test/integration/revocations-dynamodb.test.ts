/*
 * The DynamoDB adapters of revocations (auth server writes, API lookups, the purge queue) and of
 * a deleted user's playlists, against the run's DynamoDB Local. What happens when DynamoDB does
 * not answer is in backend/adapters/dynamodb/revocations.dynamodb.spec.ts.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../backend/adapters/dynamodb/client';
import { ensureTables } from '../../backend/adapters/dynamodb/create-tables';
import { DynamoPlaylistRepository } from '../../backend/adapters/dynamodb/playlist-repository.dynamodb';
import {
  DynamoPurgeQueue,
  DynamoRevocationLookup,
  DynamoRevocations,
  REVOCATION_MARGIN_SECONDS,
} from '../../backend/adapters/dynamodb/revocations.dynamodb';
import { sharedDynamoDb } from '../support/shared-dynamodb';

const { dynamodbUrl, namePrefix } = sharedDynamoDb('revocations');
const names = {
  playlists: `${namePrefix}-playlists`,
  tracks: `${namePrefix}-tracks`,
  home: `${namePrefix}-home`,
  listening: `${namePrefix}-listening`,
  revocations: `${namePrefix}-revocations`,
};
const LIFETIME = 900;

let clients: ReturnType<typeof createDynamoClients>;

beforeAll(async () => {
  clients = createDynamoClients({ region: 'us-east-1', endpoint: dynamodbUrl });
  await ensureTables(clients.client, names);
});
afterAll(() => {
  clients?.client.destroy();
});

// Clocks count from a whole second of today: DynamoDB Local honours TTL, and would delete within
// seconds what a clock near 1970 wrote (it would have expired decades ago).
const EPOCH_MS = Math.floor(Date.now() / 1000) * 1000;
/** `seconds` after the clocks' start, in epoch seconds as the items hold them. */
const at = (seconds: number) => EPOCH_MS / 1000 + seconds;
/** A writer whose clock reads `ms` milliseconds after the clocks' start. */
const writerAt = (ms: number) =>
  new DynamoRevocations(clients.client, names.revocations, { tokenLifetimeSeconds: LIFETIME, now: () => EPOCH_MS + ms });
const lookup = () => new DynamoRevocationLookup(clients.client, names.revocations);
const queue = () => new DynamoPurgeQueue(clients.client, names.revocations);

async function scan(table: string) {
  const out = await clients.client.send(new ScanCommand({ TableName: table }));
  return (out.Items ?? []).map((item) =>
    Object.fromEntries(Object.entries(item).map(([name, value]) => [name, value.S ?? Number(value.N)])),
  );
}

describe('revocations in DynamoDB', () => {
  it('ends the given sessions of a user, each until every token it refuses has expired', async () => {
    await writerAt(1_000_000).sessionsEnded('usr_a', ['ses_a1', 'ses_a2']);
    expect(await lookup().lookup('usr_a', 'ses_a1')).toEqual({ sessionEnded: true, userRevokedBefore: undefined });
    expect(await lookup().lookup('usr_a', 'ses_a2')).toMatchObject({ sessionEnded: true });
    expect(await lookup().lookup('usr_a', 'ses_a3')).toEqual({ sessionEnded: false, userRevokedBefore: undefined });
    const items = (await scan(names.revocations))
      .filter((item) => String(item.pk).startsWith('session#ses_a'))
      .sort((x, y) => String(x.pk).localeCompare(String(y.pk)));
    expect(items).toEqual([
      { pk: 'session#ses_a1', sk: 'ended', expiresAt: at(1_000) + LIFETIME + REVOCATION_MARGIN_SECONDS },
      { pk: 'session#ses_a2', sk: 'ended', expiresAt: at(1_000) + LIFETIME + REVOCATION_MARGIN_SECONDS },
    ]);
    // Nothing in them names the user: they outlive the account by up to the token lifetime.
    expect(JSON.stringify(items)).not.toContain('usr_a');
  });

  it('revokes a disabled user as of now, without asking for their data to be erased', async () => {
    await writerAt(2_000_500).userRevoked('usr_b', 'disabled');
    expect(await lookup().lookup('usr_b', 'ses_b1')).toEqual({ sessionEnded: false, userRevokedBefore: at(2_000) });
    expect(await lookup().lookup('usr_b')).toEqual({ sessionEnded: false, userRevokedBefore: at(2_000) });
    expect((await queue().pending()).map((request) => request.userId)).not.toContain('usr_b');
  });

  it('moves the revocation forward when a user is revoked again, keeping one item', async () => {
    await writerAt(3_000_000).userRevoked('usr_c', 'disabled');
    await writerAt(3_600_000).userRevoked('usr_c', 'disabled');
    expect(await lookup().lookup('usr_c')).toMatchObject({ userRevokedBefore: at(3_600) });
    expect((await scan(names.revocations)).filter((item) => item.pk === 'user#usr_c')).toHaveLength(1);
  });

  it('queues a deleted user for the purge, which lists the requests with a query and clears one with its revocation', async () => {
    await writerAt(4_000_000).userRevoked('usr_d', 'deleted');
    await writerAt(4_100_000).userRevoked('usr_e', 'deleted');
    const settlesAt = (deletedAt: number) => deletedAt + LIFETIME + REVOCATION_MARGIN_SECONDS;
    expect(await queue().pending()).toEqual([
      { userId: 'usr_d', deletedAt: at(4_000), settlesAt: settlesAt(at(4_000)) },
      { userId: 'usr_e', deletedAt: at(4_100), settlesAt: settlesAt(at(4_100)) },
    ]);
    expect(await lookup().lookup('usr_d', 'ses_d1')).toMatchObject({ userRevokedBefore: at(4_000) });

    await queue().complete({ userId: 'usr_d', deletedAt: at(4_000), settlesAt: settlesAt(at(4_000)) });
    expect((await queue().pending()).map((request) => request.userId)).toEqual(['usr_e']);
    expect(await lookup().lookup('usr_d', 'ses_d1')).toEqual({ sessionEnded: false, userRevokedBefore: undefined });
    expect(JSON.stringify(await scan(names.revocations))).not.toContain('usr_d');
  });
});

describe("erasing a user's playlists", () => {
  it('deletes every playlist of the user with all its entries, more than a page of them, and nothing of anyone else', async () => {
    const playlists = new DynamoPlaylistRepository(clients.doc, names.playlists);
    const playlist = (id: string) => ({ id, name: id, description: '', entryCount: 0, version: 1, createdAt: 'now', updatedAt: 'now' });
    const entries = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ id: `e${i}`, trackId: `t${i}`, rank: `a${String(i).padStart(4, '0')}`, addedAt: 'now' }));
    await playlists.createPlaylist('usr_gone', playlist('pl_gone1'));
    await playlists.createPlaylist('usr_gone', playlist('pl_gone2'));
    await playlists.createPlaylist('usr_stays', playlist('pl_stays'));
    // Each entry holds ~20 KB, so the entries of one playlist take several 1 MB query pages.
    const big = 'x'.repeat(20_000);
    const bigEntries = entries(120).map((e) => ({ ...e, trackId: `${e.trackId}${big}` }));
    // One add stores at most `entriesPerWrite` entries (one transaction).
    for (let i = 0; i < bigEntries.length; i += playlists.entriesPerWrite) {
      await playlists.addEntries('usr_gone', 'pl_gone1', bigEntries.slice(i, i + playlists.entriesPerWrite), 'now');
    }
    await playlists.addEntries('usr_gone', 'pl_gone2', entries(3), 'now');
    await playlists.addEntries('usr_stays', 'pl_stays', entries(2), 'now');

    expect(await playlists.eraseUser('usr_gone')).toBe(2 + 120 + 3);
    expect(await playlists.eraseUser('usr_gone')).toBe(0);
    const left = await scan(names.playlists);
    expect(left.map((item) => `${item.pk} ${item.sk}`).sort()).toEqual([
      'playlist#pl_stays entry#e0',
      'playlist#pl_stays entry#e1',
      'user#usr_stays playlist#pl_stays',
    ]);
  });
});
