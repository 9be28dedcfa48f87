import { browser } from 'wxt/browser';
import { apiClient } from '@/api/api-client';
import { createCatalogService } from '@/api/catalog-service';
import { onMessages } from '@/player/messages';
import { watchSession } from '@/api/session-storage';
import { startAudioHost } from './audio-host';
import type { AudioOutput } from './audio-output';
import { commandAction, oncePerPress } from './media-keys';
import { createOffscreenOutput } from './offscreen-output';
import { createPlayerService, type PlayerService } from './player-service';
import { playerStateItem } from './player-state';
import { createStreamCache } from './stream-cache';
import { keepTokenFresh } from './token-refresh';

/**
 * Starts the background's player and answers the `player/*` messages. On Chrome the sound
 * comes from the offscreen document; where there is no offscreen API (Firefox, whose
 * background is a persistent page with a DOM) the background hosts the same audio engine.
 */
export function startPlayer(): PlayerService {
  const catalog = createCatalogService();
  const streams = createStreamCache({ fetchStream: (id) => catalog.stream(id) });
  const output: AudioOutput = browser.offscreen
    ? createOffscreenOutput()
    : startAudioHost({ report: (event) => void player.handleAudioEvent(event), control: (action) => void control(action) });
  const player = createPlayerService({ output, streams, state: playerStateItem });

  const control = oncePerPress((action) => player.control(action), () => player.state());

  onMessages({
    'player/play-tracks': ({ tracks, index }) => player.playTracks(tracks, index),
    'player/jump': ({ index }) => player.jump(index),
    'player/toggle': () => player.toggle(),
    'player/play': () => player.play(),
    'player/pause': () => player.pause(),
    'player/next': () => player.next(),
    'player/previous': () => player.previous(),
    'player/seek': ({ positionSec }) => player.seek(positionSec),
    'player/volume': ({ volume }) => player.setVolume(volume),
    'player/mute': ({ muted }) => player.setMuted(muted),
    'player/shuffle': ({ shuffle }) => player.setShuffle(shuffle),
    'player/repeat': ({ repeat }) => player.setRepeat(repeat),
    'player/enqueue': ({ tracks, where }) => player.enqueue(tracks, where),
    'player/remove': ({ index }) => player.remove(index),
    'player/move': ({ from, to }) => player.move(from, to),
    'player/clear': () => player.clear(),
    'player/state': () => player.state(),
    'player/warm': ({ trackId }) => player.warm(trackId),
    'player/control': ({ action }) => control(action),
    'player/audio-event': (event) => player.handleAudioEvent(event),
  });

  browser.commands.onCommand.addListener((command) => {
    const action = commandAction(command);
    if (action) void control(action);
  });

  // A sign-out here or in the popup, or a refresh the server refused, ends playback cleanly.
  watchSession((session) => {
    if (!session) void player.stop({ code: 'signed_out', message: 'You signed out, so playback stopped.', at: Date.now() });
  });
  keepTokenFresh(() => apiClient().refreshSoon(120_000));

  return player;
}
