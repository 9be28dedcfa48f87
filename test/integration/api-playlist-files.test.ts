/*
 * Playlist files through the Lambda handlers: `GET /playlists/{id}/export` (playlists function)
 * and `POST /playlists/import` (playlist import function, matching through the embedded index),
 * on DynamoDB Local and s3rver.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackKey } from '../../backend/adapters/dynamodb/catalog-items';
import { createDynamoClients } from '../../backend/adapters/dynamodb/client';
import { createS3Client } from '../../backend/adapters/s3/client';
import { createIndexSync } from '../../backend/adapters/search/index-sync';
import type { ApiResult } from '../../backend/api/types';
import type { Playlist, PlaylistImport } from '../../shared/api';
import { apiEvent, bodyOf, type EventOptions } from '../support/api-events';
import { makeTrack, startApiStack } from '../support/api-stack';

type Stack = Awaited<ReturnType<typeof startApiStack>>;
let stack: Stack;

const named = [
  makeTrack(1, { artist: 'Adele', title: 'Hello', album: '25', trackNumber: 1 }),
  makeTrack(2, { artist: 'Lionel Richie', title: 'Hello', album: "Can't Slow Down", trackNumber: 4 }),
  makeTrack(3, { artist: 'Queen', title: 'Bohemian Rhapsody', album: 'A Night at the Opera', trackNumber: 11 }),
  makeTrack(4, { artist: 'The Beatles', title: 'Yesterday', album: 'Help!', trackNumber: 13 }),
  makeTrack(5, { artist: 'Nina Simone', title: 'Sinnerman', album: 'Pastel Blues', trackNumber: 7 }),
  makeTrack(6, { artist: 'Daft Punk', title: 'One More Time', album: 'Discovery', trackNumber: 1 }),
  makeTrack(7, { artist: 'Sigur Rós', title: 'Glósóli', album: 'Takk...', trackNumber: 2 }),
  // A location starting with `#` would read as a comment.
  makeTrack(8, { artist: '#1 Dads', title: 'So Soldier', album: '#About Time', trackNumber: 3 }),
];
const [adele, lionel, queen, beatles, nina, daftPunk, sigurRos, hashDads] = named;
const filler = Array.from({ length: 150 }, (_, i) => makeTrack(100 + i));
/** In the catalog when the playlist is made, removed before it is exported. */
const leaving = makeTrack(99, { artist: 'Gone Band', title: 'Farewell Song' });

beforeAll(async () => {
  stack = await startApiStack();
  for (const track of [...named, ...filler, leaving]) await stack.catalog.saveTrack(track);
  const s3 = createS3Client({ region: stack.config.region, endpoint: stack.config.endpoints.s3 });
  const sync = createIndexSync({ search: { backend: 'embedded' }, region: stack.config.region, s3, bucket: stack.config.mediaBucket });
  await sync.indexTracks([...named, ...filler]);
  await sync.publishSnapshot();
  sync.close();
  s3.destroy();
});
afterAll(() => stack?.stop());

const playlists = (sub: string, routeKey: string, options: EventOptions = {}) =>
  stack.functions.playlists(apiEvent(routeKey, { sub, ...options }));

/** `POST /playlists/import` with a file body as API Gateway passes it (text, or base64 when asked). */
function importFile(sub: string, file: string, options: { type?: string; name?: string; base64?: boolean; key?: string } = {}) {
  const event = apiEvent('POST /playlists/import', {
    sub,
    query: options.name === undefined ? undefined : { name: options.name },
    headers: {
      ...(options.type === '' ? {} : { 'content-type': options.type ?? 'audio/x-mpegurl' }),
      ...(options.key ? { 'idempotency-key': options.key } : {}),
    },
  });
  event.body = options.base64 ? Buffer.from(file).toString('base64') : file;
  event.isBase64Encoded = options.base64 ?? false;
  return stack.functions.playlistImport(event);
}

async function createWith(sub: string, name: string, trackIds: string[]): Promise<Playlist> {
  const created = bodyOf<Playlist>(await playlists(sub, 'POST /playlists', { body: { name } }));
  for (let i = 0; i < trackIds.length; i += 100) {
    const added = await playlists(sub, 'POST /playlists/{id}/entries', {
      pathParameters: { id: created.id },
      body: { trackIds: trackIds.slice(i, i + 100) },
    });
    expect(added.statusCode).toBe(201);
  }
  return created;
}

async function entryTrackIds(sub: string, id: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const query = { limit: '200', ...(cursor ? { cursor } : {}) };
    const page = bodyOf<{ items: { trackId: string }[]; cursor?: string }>(
      await playlists(sub, 'GET /playlists/{id}/entries', { pathParameters: { id }, query }),
    );
    ids.push(...page.items.map((e) => e.trackId));
    cursor = page.cursor;
  } while (cursor);
  return ids;
}

const exportOf = (sub: string, id: string, format?: string) =>
  playlists(sub, 'GET /playlists/{id}/export', { pathParameters: { id }, query: format === undefined ? {} : { format } });

const imported = (result: ApiResult) => {
  expect(result.statusCode, result.body).toBe(201);
  return bodyOf<PlaylistImport>(result);
};

describe('playlist export', () => {
  it('writes the whole playlist in order as M3U8 and XSPF, skipping tracks that left the catalog', async () => {
    const order = [queen!.id, leaving.id, ...filler.map((t) => t.id), adele!.id, queen!.id];
    const playlist = await createWith('exporter', 'Road/Trip "2026" & Co', order);
    const { doc, client } = createDynamoClients({ region: stack.config.region, endpoint: stack.config.endpoints.dynamodb });
    await doc.send(new DeleteCommand({ TableName: stack.config.tables.tracks, Key: trackKey(leaving.id) }));
    client.destroy();

    const m3u8 = await exportOf('exporter', playlist.id, 'm3u8');
    expect(m3u8.statusCode).toBe(200);
    expect(m3u8.headers).toMatchObject({
      'content-type': 'audio/x-mpegurl; charset=utf-8',
      'content-disposition': `attachment; filename="Road_Trip _2026_ _ Co.m3u8"; filename*=UTF-8''Road%2FTrip%20%222026%22%20%26%20Co.m3u8`,
    });
    const lines = m3u8.body!.split('\n');
    expect(lines.slice(0, 2)).toEqual(['#EXTM3U', '#PLAYLIST:Road/Trip "2026" & Co']);
    expect(lines.filter((l) => l.startsWith('#EXTINF:'))).toHaveLength(order.length - 1);
    expect(lines).toContain('#EXTINF:180,Queen - Bohemian Rhapsody');
    expect(lines).toContain('Queen/A Night at the Opera/11 Bohemian Rhapsody.wav');
    expect(m3u8.body).not.toContain('Farewell');

    const xspf = await exportOf('exporter', playlist.id, 'xspf');
    expect(xspf.headers).toMatchObject({ 'content-type': 'application/xspf+xml; charset=utf-8' });
    expect(xspf.body).toContain('<title>Road/Trip &quot;2026&quot; &amp; Co</title>');
    expect(xspf.body!.match(/<track>/g)).toHaveLength(order.length - 1);
  });

  it('needs a format it knows, and a playlist of the caller', async () => {
    const playlist = await createWith('owner', 'Mine', [adele!.id]);
    for (const format of [undefined, 'pls', '']) {
      const res = await exportOf('owner', playlist.id, format);
      expect(res.statusCode).toBe(400);
      expect(bodyOf(res)).toMatchObject({ error: { code: 'invalid_input', field: 'format' } });
    }
    expect((await exportOf('someone-else', playlist.id, 'm3u8')).statusCode).toBe(404);
    expect((await exportOf('owner', 'pl_missing', 'xspf')).statusCode).toBe(404);
  });
});

describe('playlist import', () => {
  it.each(['m3u8', 'xspf'] as const)('%s: export then import gives the same tracks in the same order', async (format) => {
    const order = [daftPunk!.id, hashDads!.id, ...filler.map((t) => t.id), sigurRos!.id, daftPunk!.id];
    const original = await createWith('round-trip', `Round trip ${format}`, order);
    const file = (await exportOf('round-trip', original.id, format)).body!;
    const type = format === 'm3u8' ? 'audio/x-mpegurl' : 'application/xspf+xml';
    const answer = imported(await importFile('round-trip', file, { type }));
    expect(answer).toMatchObject({ matched: order.length, unmatched: [] });
    // The file's own title names it; every add was counted.
    expect(answer.playlist).toMatchObject({ name: `Round trip ${format}`, entryCount: order.length });
    expect(await entryTrackIds('round-trip', answer.playlist.id)).toEqual(order);
  });

  it('matches a hand-written M3U8 with typos, CRLF and paths, and lists the lines it could not match', async () => {
    const file = [
      '#EXTM3U',
      '#PLAYLIST:Friday mix',
      '#EXTINF:295,Adel - Helo',
      'C:\\Users\\me\\Music\\Adele\\25\\01 Hello.mp3',
      '#EXTINF:240,Lionel Richie - Hello',
      'lionel.mp3',
      '# a comment between tracks',
      '#EXTINF:354,Queen - Bohemian Rhapsodie',
      'queen.mp3',
      'Music/Nina Simone/Pastel Blues/07 - Sinnerman.flac',
      'file:///home/me/Music/The%20Beatles/Help!/13%20Yesterday.mp3',
      '#EXTINF:200,Elvis Presley - Hello',
      'elvis.mp3',
      '#EXTINF:120,Adele - Help',
      'adele-help.mp3',
      '#EXTINF:100,Unknown Band - Never Recorded',
      'nothing.mp3',
    ].join('\r\n');
    const answer = imported(await importFile('mixer', file, { type: 'text/plain', base64: true }));
    expect(answer.unmatched).toEqual(['Elvis Presley - Hello', 'Adele - Help', 'Unknown Band - Never Recorded']);
    expect(answer.matched).toBe(5);
    expect(answer.playlist).toMatchObject({ name: 'Friday mix', entryCount: 5 });
    expect(await entryTrackIds('mixer', answer.playlist.id)).toEqual([adele!.id, lionel!.id, queen!.id, nina!.id, beatles!.id]);
  });

  it('reads XSPF of other players, named by the request, else by the file, else "Imported playlist"', async () => {
    const xspf = `<?xml version="1.0" encoding="UTF-8"?>
      <x:playlist version="1" xmlns:x="http://xspf.org/ns/0/">
        <x:trackList>
          <x:track><x:title>Yesterday</x:title><x:creator>Beatles</x:creator></x:track>
          <x:track><x:location>file:///C:/Music/Sigur%20R%C3%B3s/Takk/02%20Gl%C3%B3s%C3%B3li.ogg</x:location></x:track>
        </x:trackList>
      </x:playlist>`;
    const unnamed = imported(await importFile('xspf', xspf, { type: 'application/xspf+xml' }));
    expect(unnamed.playlist.name).toBe('Imported playlist');
    expect(await entryTrackIds('xspf', unnamed.playlist.id)).toEqual([beatles!.id, sigurRos!.id]);
    // Sniffed from the body when sent as bytes; the name in the request wins.
    const named = imported(await importFile('xspf', xspf, { type: 'application/octet-stream', name: '  My   list ' }));
    expect(named.playlist.name).toBe('My list');
  });

  it('imports once per Idempotency-Key', async () => {
    const file = '#EXTINF:1,Adele - Hello\na.mp3\n#EXTINF:1,Queen - Bohemian Rhapsody\nq.mp3\n';
    const first = await importFile('keyed', file, { key: 'import-1' });
    const again = await importFile('keyed', file, { key: 'import-1' });
    expect(again.statusCode).toBe(201);
    expect(again.headers?.['idempotent-replayed']).toBe('true');
    expect(bodyOf<PlaylistImport>(again).playlist.id).toBe(bodyOf<PlaylistImport>(first).playlist.id);
    expect(bodyOf<PlaylistImport>(again).playlist.entryCount).toBe(2);
    expect((await importFile('keyed', `${file}b.mp3\n`, { key: 'import-1' })).statusCode).toBe(422);
  });

  it('answers 413, 415, 400 and 401 for what it cannot take', async () => {
    const tooBig = `#EXTM3U\n${'#'.repeat(1024 * 1024)}\na.mp3\n`;
    expect(bodyOf(await importFile('limits', tooBig))).toMatchObject({ error: { code: 'too_large' } });
    expect((await importFile('limits', tooBig, { base64: true })).statusCode).toBe(413);
    const tooMany = Array.from({ length: 1001 }, (_, i) => `song-${i}.mp3`).join('\n');
    expect((await importFile('limits', tooMany)).statusCode).toBe(413);
    expect((await importFile('limits', '{"tracks":[]}', { type: 'application/json' })).statusCode).toBe(415);
    for (const notAPlaylist of ['<html><body>Hello</body></html>', '', 'ID3\u0000\u0000binary', '#EXTM3U\n']) {
      const res = await importFile('limits', notAPlaylist, { type: '' });
      expect(res.statusCode, notAPlaylist).toBe(400);
    }
    expect((await importFile('limits', 'a.mp3', { name: '\u202e' })).statusCode).toBe(400);
    // A NUL even when the content type names the format; XML nested deeper than the parser goes.
    expect((await importFile('limits', 'a.mp3\n\u0000\u0000binary')).statusCode).toBe(400);
    const nested = `<playlist><trackList><track><title>${'<b>'.repeat(1000)}${'</b>'.repeat(1000)}</title></track></trackList></playlist>`;
    expect(bodyOf(await importFile('limits', nested, { type: 'application/xspf+xml' }))).toMatchObject({
      error: { code: 'invalid_input' },
    });
    expect((await stack.functions.playlistImport(apiEvent('POST /playlists/import', { body: 'a.mp3' }))).statusCode).toBe(401);
    // Nothing was created by any of them.
    expect(bodyOf<{ items: Playlist[] }>(await playlists('limits', 'GET /playlists')).items).toEqual([]);
  });
});
