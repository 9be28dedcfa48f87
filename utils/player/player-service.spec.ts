import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { makeTracks } from '@/test/extension/factories';
import type { MediaStatus } from '@/utils/messages';
import { NOTHING_LOADED, type AudioOutput } from './audio-output';
import { createPlayerService } from './player-service';
import { playerStateItem } from './player-state';

const playing: MediaStatus = { loaded: true, paused: false, currentTime: 0, duration: 30 };

function setup() {
  const output = {
    play: vi.fn<AudioOutput['play']>().mockResolvedValue(playing),
    pause: vi.fn<AudioOutput['pause']>().mockResolvedValue({ ...playing, paused: true, currentTime: 12 }),
    resume: vi.fn<AudioOutput['resume']>().mockResolvedValue(playing),
    status: vi.fn<AudioOutput['status']>().mockResolvedValue(playing),
  };
  const catalog = { stream: vi.fn(async (id: string) => ({ url: `https://media.test/${id}`, expiresAt: '' })) };
  const player = createPlayerService({ catalog, output, state: playerStateItem, log: { error: () => {} } });
  return { output, catalog, player };
}

describe('player service', () => {
  beforeEach(() => fakeBrowser.reset());

  it('fetches a stream URL, plays it and persists the state in storage.session', async () => {
    const { player, output } = setup();
    const tracks = makeTracks(3);

    const state = await player.playTracks(tracks, 1);

    expect(output.play).toHaveBeenCalledWith(`https://media.test/${tracks[1]!.id}`, 0);
    expect(state).toMatchObject({ status: 'playing', index: 1, queue: tracks });
    expect(await fakeBrowser.storage.session.get('player')).toEqual({ player: state });
  });

  it('reports a failed play in words and stays usable', async () => {
    const { player, catalog } = setup();
    catalog.stream.mockRejectedValueOnce(new Error('Track not found.'));
    const [track] = makeTracks(1, { title: 'Gone' });

    const state = await player.playTracks([track!], 0);
    expect(state.status).toBe('paused');
    expect(state.error).toContain('Gone');
  });

  it('pauses at the current position and resumes the loaded media', async () => {
    const { player, output } = setup();
    await player.playTracks(makeTracks(2), 0);

    expect(await player.toggle()).toMatchObject({ status: 'paused', positionSec: 12 });
    expect(await player.toggle()).toMatchObject({ status: 'playing' });
    expect(output.resume).toHaveBeenCalledOnce();
  });

  it('replays from the saved position when the audio document has gone away', async () => {
    const { player, output } = setup();
    const tracks = makeTracks(2);
    await player.playTracks(tracks, 0);
    await player.toggle();
    output.resume.mockResolvedValueOnce({ ...NOTHING_LOADED });

    expect(await player.toggle()).toMatchObject({ status: 'playing' });
    expect(output.play).toHaveBeenLastCalledWith(`https://media.test/${tracks[0]!.id}`, 12);
  });

  it('moves to the next track when one ends, and goes idle after the last', async () => {
    const { player } = setup();
    const tracks = makeTracks(2);
    await player.playTracks(tracks, 0);

    expect(await player.handleAudioEvent({ type: 'ended' })).toMatchObject({ status: 'playing', index: 1 });
    expect(await player.handleAudioEvent({ type: 'ended' })).toMatchObject({ status: 'idle', index: 1 });
  });

  it('rejects an index outside the list', () => {
    const { player } = setup();
    expect(() => player.playTracks(makeTracks(1), 3)).toThrow(/outside/);
  });
});
