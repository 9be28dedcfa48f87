import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { openAdminDeps, type OpenAdminDepsOptions } from '../../auth/admin/deps';
import { createUser } from '../../auth/commands/admin';
import type { TrackRecord } from '../../domain/catalog';
import { albumIdFor, artistIdFor, trackIdFor } from '../../domain/ids';
import type { CatalogRepository, MediaStore } from '../../domain/ports';
import type { IndexSync } from '../../adapters/search/index-sync';
import { demoAlbums } from './catalog';
import { renderCover } from './cover';
import { encodeWav, renderSong, sampleRate } from './synth';
import { audioKeyFor, coverKeyFor } from '../../adapters/s3/media-keys';

/** Bump when the generated catalog changes, so existing stacks get the new one. */
const seedVersion = 1;

interface SeedMarker {
  version: number;
  trackIds: string[];
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * Generates and stores the demo catalog (audio, covers, catalog records) unless a previous
 * start already did. Writes are idempotent, so an interrupted seed simply runs again.
 */
export async function seedDemoCatalog(deps: {
  catalog: CatalogRepository;
  media: MediaStore;
  markerFile: string;
  log: (line: string) => void;
  /** The search index to keep in step; the seeded tracks are indexed and published at the end. */
  index?: Pick<IndexSync, 'indexTracks' | 'publishSnapshot'>;
}): Promise<{ created: boolean; trackCount: number }> {
  const marker = await readJson<SeedMarker>(deps.markerFile);
  if (marker?.version === seedVersion && marker.trackIds[0] && (await deps.catalog.getTrack(marker.trackIds[0]))) {
    return { created: false, trackCount: marker.trackIds.length };
  }

  const trackIds: string[] = [];
  const saved: TrackRecord[] = [];
  let songSeed = 1;
  for (const album of demoAlbums) {
    const albumId = albumIdFor(album.artist, album.album);
    const coverKey = coverKeyFor(albumId, 'svg');
    await deps.media.put(coverKey, renderCover(album.album, album.artist, album.hue), 'image/svg+xml');
    for (const [index, title] of album.tracks.entries()) {
      const seed = songSeed++;
      const durationSeconds = 30 + ((seed * 37) % 61); // 30–90 s, spread over the catalog
      const wav = encodeWav(
        renderSong({ seed, durationSeconds, rootNote: 52 + (seed % 10), tempoBpm: 80 + ((seed * 13) % 60), brightness: (seed % 5) / 5 }),
      );
      const contentHash = createHash('sha256').update(wav).digest('hex');
      const audioKey = audioKeyFor(contentHash, 'wav');
      if (!(await deps.media.exists(audioKey))) await deps.media.put(audioKey, wav, 'audio/wav');
      const track: TrackRecord = {
        id: trackIdFor(contentHash),
        title,
        artist: album.artist,
        artistId: artistIdFor(album.artist),
        album: album.album,
        albumId,
        trackNumber: index + 1,
        discNumber: 1,
        durationMs: Math.round(((wav.length - 44) / 2 / sampleRate) * 1000),
        genre: album.genre,
        year: album.year,
        audioKey,
        contentType: 'audio/wav',
        coverKey,
        contentHash,
      };
      await deps.catalog.saveTrack(track);
      trackIds.push(track.id);
      saved.push(track);
    }
    deps.log(`  demo album "${album.album}" by ${album.artist}: ${album.tracks.length} tracks`);
  }
  if (deps.index) {
    await deps.index.indexTracks(saved);
    await deps.index.publishSnapshot();
  }
  await writeFile(deps.markerFile, JSON.stringify({ version: seedVersion, trackIds } satisfies SeedMarker, null, 2));
  return { created: true, trackCount: trackIds.length };
}

export interface DemoAccount {
  email: string;
  password: string;
  name: string;
}

/**
 * Makes sure the demo listener exists, created as an admin would (so whatever the registration
 * policy), with the password generated on the first start and kept in `file`, so it stays the
 * same across restarts.
 */
export async function ensureDemoAccount(userDatabase: OpenAdminDepsOptions, file: string): Promise<DemoAccount> {
  let account = await readJson<DemoAccount>(file);
  if (!account) {
    account = { email: 'demo@alktunes.local', password: `demo-${randomBytes(9).toString('base64url')}`, name: 'Demo Listener' };
    await writeFile(file, JSON.stringify(account, null, 2), { mode: 0o600 });
  }
  const accounts = await openAdminDeps(userDatabase);
  try {
    const existing = await accounts.repository.findUserByEmail(account.email);
    if (!existing) await createUser(accounts, account);
    else if (!(await accounts.passwords.verify(account.password, existing.passwordHash))) {
      // The kept file is what the start banner and stack.json show: make it true again (e.g. after the file was deleted).
      await accounts.repository.updatePasswordHash(existing.id, await accounts.passwords.hash(account.password), Date.now());
    }
  } finally {
    await accounts.close();
  }
  return account;
}
