import { onMessages, sendMessage, type MessageRequest } from '@/player/messages';
import { startAudioHost } from './audio-host';

/**
 * The offscreen document's side on Chrome: the audio engine, reporting to the background over
 * messages (which also wake a stopped service worker) and dispatching the background's
 * commands through one command → handler map. Errors are logged here, at the boundary.
 */
export function startOffscreenHost(): void {
  const tell = <T extends 'player/audio-event' | 'player/control'>(type: T, data: MessageRequest<T>) =>
    void sendMessage(type, data).catch((error: unknown) => console.error(`[offscreen] ${type}`, error));
  const engine = startAudioHost({
    report: (event) => tell('player/audio-event', event),
    control: (action) => tell('player/control', { action }),
  });

  onMessages({
    'offscreen/load': (request) => engine.load(request),
    'offscreen/play': ({ url, startAt }) => engine.load({ url, ...(startAt !== undefined && { startAt }) }),
    'offscreen/advance': ({ trackId }) => engine.advance(trackId),
    'offscreen/preload': ({ item }) => engine.preload(item),
    'offscreen/pause': () => engine.pause(),
    'offscreen/resume': () => engine.resume(),
    'offscreen/seek': ({ positionSec }) => engine.seek(positionSec),
    'offscreen/volume': ({ volume, muted }) => engine.setVolume(volume, muted),
    'offscreen/stop': () => engine.stop(),
    'offscreen/status': () => engine.status(),
  });
}
