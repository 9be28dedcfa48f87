import type { Track } from '@/backend/domain/catalog';
import type { AudioEvent } from '@/utils/messages';
import type { CatalogService } from '@/utils/catalog-service';
import type { AudioOutput } from './audio-output';
import { currentTrack, IDLE_PLAYER_STATE, type PlayerState } from './player-state';

/** Where the player keeps its state between service-worker lifetimes. */
export interface PlayerStateStore {
  getValue(): Promise<PlayerState>;
  setValue(state: PlayerState): Promise<void>;
}

export interface PlayerServiceDeps {
  catalog: Pick<CatalogService, 'stream'>;
  output: AudioOutput;
  state: PlayerStateStore;
  log?: Pick<Console, 'error'>;
}

/**
 * The background's player: owns the queue and the state, asks the API for stream URLs and
 * tells the audio output what to do. Every change is written to the state store first, so a
 * restarted service worker (or a freshly opened popup) picks up where it left off.
 */
export function createPlayerService({ catalog, output, state, log = console }: PlayerServiceDeps) {
  /** Bumped on every new play so a slow, superseded play cannot overwrite a newer one. */
  let generation = 0;

  async function update(patch: Partial<PlayerState>): Promise<PlayerState> {
    const next = { ...(await state.getValue()), ...patch };
    await state.setValue(next);
    return next;
  }

  async function playIndex(queue: Track[], index: number, startAt = 0): Promise<PlayerState> {
    const track = queue[index];
    if (!track) return update({ ...IDLE_PLAYER_STATE });
    const mine = ++generation;
    await update({ status: 'loading', queue, index, positionSec: startAt, error: undefined });
    try {
      const { url } = await catalog.stream(track.id);
      await output.play(url, startAt);
      if (mine !== generation) return state.getValue();
      return await update({ status: 'playing' });
    } catch (error) {
      if (mine !== generation) return state.getValue();
      log.error('[player] could not play', track.id, error);
      return update({ status: 'paused', error: `Couldn't play "${track.title}". ${describe(error)}` });
    }
  }

  return {
    /** Replaces the queue with `tracks` and plays `tracks[index]`. */
    playTracks(tracks: Track[], index: number): Promise<PlayerState> {
      if (!Number.isInteger(index) || index < 0 || index >= tracks.length) {
        throw Object.assign(new Error('index is outside the track list'), { code: 'invalid_input' });
      }
      return playIndex(tracks, index);
    },

    /** Pauses when playing; otherwise resumes (replaying from the saved position if the media is gone). */
    async toggle(): Promise<PlayerState> {
      const current = await state.getValue();
      if (current.status === 'playing') {
        const media = await output.pause();
        return update({ status: 'paused', positionSec: media.loaded ? media.currentTime : current.positionSec });
      }
      if (current.status === 'loading' || !currentTrack(current)) return current;
      const media = await output.resume().catch(() => ({ loaded: false }));
      if (media.loaded) return update({ status: 'playing', error: undefined });
      return playIndex(current.queue, current.index, current.positionSec);
    },

    state(): Promise<PlayerState> {
      return state.getValue();
    },

    /** Follows what the audio element did on its own: finished, failed, paused elsewhere. */
    async handleAudioEvent(event: AudioEvent): Promise<PlayerState> {
      const current = await state.getValue();
      if (current.status === 'loading') return current;
      switch (event.type) {
        case 'playing':
          return update({ status: 'playing' });
        case 'paused':
          return current.status === 'playing' ? update({ status: 'paused' }) : current;
        case 'ended':
          return current.index + 1 < current.queue.length
            ? playIndex(current.queue, current.index + 1)
            : update({ status: 'idle', positionSec: 0 });
        case 'error':
          return update({ status: 'paused', error: event.message });
      }
    },
  };
}

export type PlayerService = ReturnType<typeof createPlayerService>;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}
