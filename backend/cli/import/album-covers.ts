import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { TrackRecord } from '../../domain/catalog';
import type { CatalogRepository, MediaStore } from '../../domain/ports';
import { frontCover, pickSidecarCover, sniffImage, type EmbeddedPicture } from './cover-art';
import type { FoundFile } from './walk';
import { coverKeyFor } from '../../adapters/s3/media-keys';

/** Larger "covers" are scans or posters, not worth sending to a popup. */
const MAX_COVER_BYTES = 10 * 1024 * 1024;

/**
 * Finds and stores each album's cover once per run: the first track of an album to arrive
 * decides it (its embedded front cover, else `cover.jpg`/`folder.jpg`… beside it), and every
 * other track of the album reuses that key; an album still without one takes the first
 * embedded cover that turns up, and `giveLateCovers` passes it to the tracks saved before.
 * Keys are content-addressed (`covers/<sha256>.<ext>`), so a cover already in the bucket is
 * never uploaded again.
 */
export class AlbumCovers {
  private readonly byAlbum = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly deps: {
      media: MediaStore;
      /** Cover candidates per folder, from the walk. */
      images: ReadonlyMap<string, readonly FoundFile[]>;
      /** False on a dry run: work out the key, store nothing. */
      write: boolean;
      warn: (message: string) => void;
    },
  ) {}

  /** The cover key of `albumId`, resolving it on the album's first track; undefined when the album has none. */
  async coverFor(albumId: string, folder: string, pictures: readonly EmbeddedPicture[] | undefined): Promise<string | undefined> {
    const known = this.byAlbum.get(albumId);
    if (known) {
      const key = await known;
      if (key !== undefined) return key;
      // Another track of the album started looking for a cover while this one waited: follow it.
      if (this.byAlbum.get(albumId) !== known) return this.coverFor(albumId, folder, pictures);
      // An album that had no cover so far takes the first embedded one that turns up.
      if (!pictures?.length) return undefined;
    }
    const resolving = this.resolve(folder, pictures).catch((error: unknown) => {
      this.deps.warn(`cover of album in ${folder || '.'} not stored: ${(error as Error).message}`);
      return undefined;
    });
    this.byAlbum.set(albumId, resolving);
    return resolving;
  }

  /** The album's cover as decided so far; once every file was seen, its cover for the run. */
  keyOf(albumId: string): Promise<string | undefined> {
    return this.byAlbum.get(albumId) ?? Promise.resolve(undefined);
  }

  private async resolve(folder: string, pictures: readonly EmbeddedPicture[] | undefined): Promise<string | undefined> {
    const embedded = frontCover(pictures)?.data;
    if (embedded && embedded.byteLength <= MAX_COVER_BYTES && sniffImage(embedded)) return this.store(embedded);
    const sidecar = pickSidecarCover(this.deps.images.get(folder) ?? []);
    if (!sidecar || sidecar.size > MAX_COVER_BYTES) return undefined;
    const handle = await open(sidecar.realPath, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return await this.store(await handle.readFile());
    } finally {
      await handle.close();
    }
  }

  private async store(bytes: Uint8Array): Promise<string | undefined> {
    const type = sniffImage(bytes);
    if (!type) return undefined;
    const key = coverKeyFor(createHash('sha256').update(bytes).digest('hex'), type.extension);
    if (this.deps.write && !(await this.deps.media.exists(key))) await this.deps.media.put(key, bytes, type.contentType);
    return key;
  }
}

/**
 * Gives the album's cover to tracks that were saved without one because they arrived before
 * any track of their album that carries it (files are read in parallel), so an album's tracks
 * never disagree. Call once every file was seen. Resolves to the tracks it changed, as saved.
 */
export async function giveLateCovers(
  coverless: readonly TrackRecord[],
  covers: Pick<AlbumCovers, 'keyOf'>,
  catalog: Pick<CatalogRepository, 'saveTracks'>,
): Promise<TrackRecord[]> {
  const late: TrackRecord[] = [];
  for (const record of coverless) {
    const coverKey = await covers.keyOf(record.albumId);
    if (coverKey) late.push({ ...record, coverKey });
  }
  if (late.length) await catalog.saveTracks(late);
  return late;
}
