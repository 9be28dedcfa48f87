import type { BufferItem, LoadRequest, MediaItem, MediaStatus } from '@/player/messages';

/**
 * The audio host as the queue owner sees it. On Chrome it is the offscreen document, reached by
 * messages (`background/offscreen-output.ts`); on Firefox the background page's own engine
 * (`audio/audio-engine.ts`).
 */
export interface AudioOutput {
  /** Gets ready to play (opens the offscreen document), so the first track starts sooner. */
  prepare?(): Promise<void>;
  /** Plays the item from `startAt`; resolves once sound has started, rejects if it cannot play. */
  load(request: LoadRequest): Promise<MediaStatus>;
  /**
   * Starts the buffered track `trackId` at once (no URL, no volume: the element is already
   * buffered and set); resolves `null`, doing nothing, when nothing is buffered under that id or
   * the audio host is gone (a closed offscreen document). Resolves once sound has started.
   */
  advance?(trackId: string): Promise<MediaStatus | null>;
  /** Buffers the item that follows so it starts at once (and on its own when this one ends); `null` forgets it. */
  preload(item: MediaItem | null): Promise<MediaStatus>;
  /**
   * Buffers tracks a click is likely to play (an open popup's first rows), keyed by track id, so
   * a `load` of one starts at once even under a newer URL. Bounded: the oldest make room.
   */
  buffer?(items: BufferItem[]): Promise<MediaStatus>;
  /** Drops the tracks `buffer` holds (not the one playing, not the next): no click is coming. */
  forget?(): Promise<MediaStatus>;
  /**
   * Closes the audio host (Chrome's offscreen document) unless `idle()`, asked again right
   * before it closes (after any start already under way), says it is needed after all.
   */
  close?(idle?: () => boolean): Promise<void>;
  pause(): Promise<MediaStatus>;
  /** Resumes the loaded track; `loaded: false` means the media is gone and must be reloaded. */
  resume(): Promise<MediaStatus>;
  seek(positionSec: number): Promise<MediaStatus>;
  setVolume(volume: number, muted: boolean): Promise<MediaStatus>;
  /** Stops and unloads everything. */
  stop(): Promise<MediaStatus>;
  status(): Promise<MediaStatus>;
}

export const NOTHING_LOADED: Readonly<MediaStatus> = Object.freeze({
  loaded: false,
  paused: true,
  currentTime: 0,
  duration: 0,
});
