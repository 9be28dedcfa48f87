import { browser } from 'wxt/browser';
import { onMessages } from '@/utils/messages';
import { createCatalogService } from '@/utils/catalog-service';
import { createAudioEngine } from './audio-engine';
import type { AudioOutput } from './audio-output';
import { createOffscreenOutput } from './offscreen-output';
import { createPlayerService } from './player-service';
import { playerStateItem } from './player-state';

/**
 * Starts the background's player and answers the popup's `player/*` messages. On Chrome the
 * sound comes from the offscreen document; where there is no offscreen API (Firefox, whose
 * background is a persistent page with a DOM) the background plays through its own element.
 */
export function startPlayer(): void {
  const output: AudioOutput = browser.offscreen
    ? createOffscreenOutput()
    : createAudioEngine(new Audio(), (event) => void player.handleAudioEvent(event));
  const player = createPlayerService({ catalog: createCatalogService(), output, state: playerStateItem });

  onMessages({
    'player/play-tracks': ({ tracks, index }) => player.playTracks(tracks, index),
    'player/toggle': () => player.toggle(),
    'player/state': () => player.state(),
    'player/audio-event': (event) => player.handleAudioEvent(event),
  });
}
