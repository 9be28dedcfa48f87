import type { TrackRecord } from '../../domain/catalog';
import { trackIdFor } from '../../domain/ids';
import type { LargeMediaStore } from '../../domain/ports';
import type { AlbumCovers } from './album-covers';
import { CorruptAudioError, loadAudio, NotAudioError, openByteSource, UnreadableFileError, type LoadedAudio } from './audio-file';
import { classifyFormat } from './formats';
import { notAudio, type FileOutcome } from './summary';
import { draftTrack, toTrackRecord } from './tags';
import type { FoundFile } from './walk';
import { audioKeyFor } from '../../adapters/s3/media-keys';

/** Below this size an upload is cheaper than asking whether the object exists already. */
const HEAD_BEFORE_UPLOAD_BYTES = 1024 * 1024;

/** What one file's import needs, shared by every file of a run. */
export interface FileImportContext {
  /** The catalog's track with this id, if any (lookups may be batched across files). */
  findTrack(trackId: string): Promise<TrackRecord | undefined>;
  media: LargeMediaStore;
  covers: AlbumCovers;
  rootName: string;
  dryRun: boolean;
  /** Track ids taken by earlier files of this run, so two copies of one recording import once. */
  claimed: Map<string, string>;
}

export interface FileImportResult {
  outcome: FileOutcome;
  /**
   * The record of an imported track, for the caller to write to the catalog last, after the
   * media stored here (on a dry run, the would-be record; it is not written).
   */
  record?: TrackRecord;
}

/**
 * Imports one file's media and returns its catalog record. Every step is idempotent and keyed by
 * content, which is what makes a run resumable: audio first (content-addressed key), cover, then
 * the catalog record last — written by the caller in batches once this has returned — so a track
 * only counts as present once all its media is stored. A file whose track already exists
 * with the same hash is `unchanged` and nothing is written.
 */
export async function importFile(file: FoundFile, ctx: FileImportContext): Promise<FileImportResult> {
  const path = file.relPath;
  let loaded: LoadedAudio;
  try {
    loaded = await loadAudio(file);
  } catch (error) {
    if (error instanceof NotAudioError) return { outcome: notAudio(path) };
    if (error instanceof CorruptAudioError) return { outcome: { kind: 'skipped', path, reason: error.message } };
    if (error instanceof UnreadableFileError) return { outcome: { kind: 'failed', path, reason: error.message } };
    throw error;
  }
  const verdict = classifyFormat(loaded.metadata.format);
  if (!verdict.playable) return { outcome: { kind: 'skipped', path, reason: verdict.reason } };

  const { contentHash } = loaded;
  const trackId = trackIdFor(contentHash);
  const firstCopy = ctx.claimed.get(trackId);
  if (firstCopy !== undefined) return { outcome: { kind: 'skipped', path, reason: 'same audio as another file of this import' } };
  ctx.claimed.set(trackId, path);

  const existing = await ctx.findTrack(trackId);
  if (existing?.contentHash === contentHash) return { outcome: { kind: 'unchanged', path, trackId } };

  const draft = draftTrack(loaded.metadata.common, loaded.metadata.format, [ctx.rootName, ...path.split('/')]);
  const audioKey = audioKeyFor(contentHash, verdict.format.extension);
  const albumId = toTrackRecord(draft, { contentHash, audioKey, contentType: '' }).albumId;
  if (!ctx.dryRun) await storeAudio(file, loaded, audioKey, verdict.format.contentType, ctx.media);
  const coverKey = await ctx.covers.coverFor(albumId, file.folder, loaded.metadata.common.picture);
  const record = toTrackRecord(draft, {
    contentHash,
    audioKey,
    contentType: verdict.format.contentType,
    ...(coverKey ? { coverKey } : {}),
  });
  return { outcome: { kind: 'imported', path, trackId, bytes: file.size }, record };
}

async function storeAudio(file: FoundFile, loaded: LoadedAudio, key: string, contentType: string, media: LargeMediaStore): Promise<void> {
  // An earlier, interrupted run may have stored the audio without its record.
  if (file.size >= HEAD_BEFORE_UPLOAD_BYTES && (await media.exists(key))) return;
  if (loaded.bytes) return media.put(key, loaded.bytes, contentType);
  const source = await openByteSource(file, loaded.contentHash);
  try {
    await media.putSource(key, source, contentType);
  } finally {
    await source.close();
  }
}
