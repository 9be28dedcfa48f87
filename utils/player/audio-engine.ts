import type { AudioEvent, MediaStatus } from '@/utils/messages';
import type { AudioOutput } from './audio-output';

/** The parts of `HTMLAudioElement` the engine uses; a fake in specs. */
export type AudioElementLike = Pick<
  HTMLAudioElement,
  'src' | 'currentTime' | 'duration' | 'paused' | 'ended' | 'play' | 'pause' | 'addEventListener'
>;

/**
 * Drives one `<audio>` element. Runs in the offscreen document (Chrome) or the background
 * page (Firefox). Reports what the element does on its own through `onEvent`; events caused
 * by its own commands (e.g. the pause fired while switching tracks) are not reported.
 */
export function createAudioEngine(audio: AudioElementLike, onEvent: (event: AudioEvent) => void): AudioOutput {
  let switching = false;
  let loaded = false;

  const status = (): MediaStatus => ({
    loaded,
    paused: audio.paused,
    currentTime: audio.currentTime,
    duration: Number.isFinite(audio.duration) ? audio.duration : 0,
  });
  const report = (event: AudioEvent) => {
    if (!switching) onEvent(event);
  };

  audio.addEventListener('playing', () => report({ type: 'playing' }));
  audio.addEventListener('pause', () => {
    // The element also fires `pause` right before `ended`; only the latter matters.
    if (!audio.ended) report({ type: 'paused' });
  });
  audio.addEventListener('ended', () => report({ type: 'ended' }));
  audio.addEventListener('error', () => report({ type: 'error', message: 'This track could not be played.' }));

  return {
    async play(url, startAt = 0) {
      switching = true;
      try {
        audio.src = url;
        loaded = true;
        if (startAt > 0) audio.currentTime = startAt;
        await audio.play();
        return status();
      } catch (error) {
        loaded = false;
        throw new Error(`Playback failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      } finally {
        switching = false;
      }
    },
    async pause() {
      audio.pause();
      return status();
    },
    async resume() {
      if (loaded) await audio.play();
      return status();
    },
    async status() {
      return status();
    },
  };
}
