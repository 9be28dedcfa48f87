import type { LoadRequest, MediaItem, MediaStatus } from '@/player/messages';

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
   * Starts the preloaded item at once if it is the track `trackId` (no URL, no volume: the
   * element is already buffered and set); resolves `null`, doing nothing, when something else
   * or nothing is preloaded, or the audio host is gone (a closed offscreen document). Resolves once sound has started.
   */
  advance?(trackId: string): Promise<MediaStatus | null>;
  /** Buffers the item that follows so it starts at once; `null` forgets it. */
  preload(item: MediaItem | null): Promise<MediaStatus>;
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
