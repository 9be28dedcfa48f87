import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/support/random';
import { countCatalog, countChanges, type AlbumCount, type TrackMove, type TrackPlacement } from './catalog-counts';

const at = (albumId: string, artistId: string): TrackPlacement => ({ albumId, artistId });
const owned = (entries: Record<string, [string, number]>) =>
  new Map(Object.entries(entries).map(([id, [ownerId, trackCount]]) => [id, { ownerId, trackCount }]));

describe('countChanges', () => {
  it('counts a new track for its album and artist, and a first track as a new album', () => {
    const changes = countChanges([{ after: at('al', 'ar') }, { after: at('al', 'ar') }], owned({ al: ['ar', 0] }));
    expect(changes.albums).toEqual(new Map([['al', 2]]));
    expect(changes.artists).toEqual(new Map([['ar', { trackCount: 2, albumCount: 1 }]]));
  });

  it('changes nothing when a track is saved again where it was', () => {
    const changes = countChanges([{ before: at('al', 'ar'), after: at('al', 'ar') }], owned({ al: ['ar', 1] }));
    expect(changes).toEqual({ albums: new Map(), artists: new Map() });
  });

  it('moves the counts of a track that changes album, and of its last track the album', () => {
    const changes = countChanges([{ before: at('old', 'a'), after: at('new', 'b') }], owned({ old: ['a', 1], new: ['b', 3] }));
    expect(changes.albums).toEqual(
      new Map([
        ['old', -1],
        ['new', 1],
      ]),
    );
    expect(changes.artists).toEqual(
      new Map([
        ['a', { trackCount: -1, albumCount: -1 }],
        ['b', { trackCount: 1, albumCount: 0 }],
      ]),
    );
  });

  it('gives the album to its owner when only a guest artist has tracks on it', () => {
    const changes = countChanges([{ after: at('shared', 'guest') }], owned({ shared: ['host', 0] }));
    expect(changes.artists).toEqual(
      new Map([
        ['guest', { trackCount: 1, albumCount: 0 }],
        ['host', { trackCount: 0, albumCount: 1 }],
      ]),
    );
  });

  it('moves an artist count alone when a track changes artist on the same album', () => {
    const changes = countChanges([{ before: at('al', 'a'), after: at('al', 'b') }], owned({ al: ['a', 2] }));
    expect(changes.albums).toEqual(new Map());
    expect(changes.artists).toEqual(
      new Map([
        ['a', { trackCount: -1, albumCount: 0 }],
        ['b', { trackCount: 1, albumCount: 0 }],
      ]),
    );
  });

  it('changes only the count of an album whose state is unknown', () => {
    const changes = countChanges([{ before: at('gone', 'a'), after: at('al', 'a') }], owned({ al: ['a', 1] }));
    expect(changes.albums).toEqual(
      new Map([
        ['gone', -1],
        ['al', 1],
      ]),
    );
    expect(changes.artists).toEqual(new Map());
  });

  it('keeps every count equal to a recount after random saves (1,000 batches)', () => {
    const random = seededRandom(7);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const artists = ['a', 'b', 'c'];
    const owners = new Map(['x', 'y', 'z', 'w'].map((album, i) => [album, artists[i % artists.length]!]));
    const albumIds = [...owners.keys()];
    const tracks = new Map<string, TrackPlacement>();

    const recount = () => {
      const albums = new Map(albumIds.map((id) => [id, 0]));
      const byArtist = new Map(artists.map((id) => [id, { trackCount: 0, albumCount: 0 }]));
      for (const track of tracks.values()) {
        albums.set(track.albumId, albums.get(track.albumId)! + 1);
        byArtist.get(track.artistId)!.trackCount += 1;
      }
      for (const [id, count] of albums) if (count > 0) byArtist.get(owners.get(id)!)!.albumCount += 1;
      return { albums, artists: byArtist };
    };

    let counts = recount();
    for (let batch = 0; batch < 1000; batch++) {
      const ids = new Set(Array.from({ length: 1 + Math.floor(random() * 6) }, () => `t${Math.floor(random() * 12)}`));
      const moves: TrackMove[] = [...ids].map((id) => ({ before: tracks.get(id), after: at(pick(albumIds), pick(artists)) }));
      const state = new Map<string, AlbumCount>(
        [...counts.albums].map(([id, trackCount]) => [id, { ownerId: owners.get(id)!, trackCount }]),
      );
      const changes = countChanges(moves, state);
      [...ids].forEach((id, i) => tracks.set(id, moves[i]!.after));

      for (const [id, delta] of changes.albums) counts.albums.set(id, counts.albums.get(id)! + delta);
      for (const [id, change] of changes.artists) {
        const artist = counts.artists.get(id)!;
        artist.trackCount += change.trackCount;
        artist.albumCount += change.albumCount;
      }
      expect(counts).toEqual(recount());
      counts = recount();
    }
  });
});

describe('countCatalog', () => {
  it('counts tracks per album and per artist, guests for themselves', () => {
    const tracks = [at('al', 'a'), at('al', 'a'), at('al', 'guest'), at('other', 'b')];
    const counts = countCatalog(
      tracks,
      new Map([
        ['al', 'a'],
        ['other', 'b'],
      ]),
    );
    expect(counts.albums).toEqual(
      new Map([
        ['al', 3],
        ['other', 1],
      ]),
    );
    expect(counts.artists).toEqual(
      new Map([
        ['a', { trackCount: 2, albumCount: 1 }],
        ['guest', { trackCount: 1, albumCount: 0 }],
        ['b', { trackCount: 1, albumCount: 1 }],
      ]),
    );
  });

  it('gives an album with only guest tracks to its owner, and no album to the owner of an empty one', () => {
    const counts = countCatalog(
      [at('shared', 'guest')],
      new Map([
        ['shared', 'host'],
        ['empty', 'idle'],
      ]),
    );
    expect(counts.albums).toEqual(
      new Map([
        ['shared', 1],
        ['empty', 0],
      ]),
    );
    expect(counts.artists).toEqual(
      new Map([
        ['guest', { trackCount: 1, albumCount: 0 }],
        ['host', { trackCount: 0, albumCount: 1 }],
        ['idle', { trackCount: 0, albumCount: 0 }],
      ]),
    );
  });

  it('counts the tracks of an album without a known owner for the album and the artists alone', () => {
    const counts = countCatalog([at('lost', 'a')], new Map());
    expect(counts.albums).toEqual(new Map([['lost', 1]]));
    expect(counts.artists).toEqual(new Map([['a', { trackCount: 1, albumCount: 0 }]]));
  });

  it('agrees with the counts countChanges keeps, after random saves', () => {
    const random = seededRandom(11);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const owners = new Map([
      ['x', 'a'],
      ['y', 'b'],
      ['z', 'a'],
    ]);
    const albums = new Map([...owners].map(([id, ownerId]) => [id, { ownerId, trackCount: 0 }]));
    const artists = new Map<string, { trackCount: number; albumCount: number }>();
    const tracks = new Map<string, TrackPlacement>();
    for (let batch = 0; batch < 300; batch++) {
      const id = `t${Math.floor(random() * 8)}`;
      const move = { before: tracks.get(id), after: at(pick([...owners.keys()]), pick(['a', 'b', 'c'])) };
      const changes = countChanges([move], albums);
      tracks.set(id, move.after);
      for (const [album, delta] of changes.albums) albums.get(album)!.trackCount += delta;
      for (const [artist, change] of changes.artists) {
        const counts = artists.get(artist) ?? { trackCount: 0, albumCount: 0 };
        artists.set(artist, { trackCount: counts.trackCount + change.trackCount, albumCount: counts.albumCount + change.albumCount });
      }
    }
    const recounted = countCatalog(tracks.values(), owners);
    expect(recounted.albums).toEqual(new Map([...albums].map(([id, album]) => [id, album.trackCount])));
    const none = { trackCount: 0, albumCount: 0 };
    for (const id of new Set([...recounted.artists.keys(), ...artists.keys()]))
      expect(recounted.artists.get(id) ?? none, id).toEqual(artists.get(id) ?? none);
  });
});
