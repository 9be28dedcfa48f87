import type { MediaStatus } from '@/utils/messages';

/**
 * Where the sound comes from, seen from the player service. On Chrome it is the offscreen
 * document (reached by messages); on Firefox the background page's own `<audio>` element.
 */
export interface AudioOutput {
  /** Loads `url` and starts playing from `startAt` seconds; resolves once playback started. */
  play(url: string, startAt?: number): Promise<MediaStatus>;
  pause(): Promise<MediaStatus>;
  /** Resumes the loaded track; `loaded: false` means the media is gone and must be replayed. */
  resume(): Promise<MediaStatus>;
  status(): Promise<MediaStatus>;
}

export const NOTHING_LOADED: Readonly<MediaStatus> = Object.freeze({
  loaded: false,
  paused: true,
  currentTime: 0,
  duration: 0,
});
