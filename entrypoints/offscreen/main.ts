import { createAudioEngine } from '@/utils/player/audio-engine';
import { onMessages, sendMessage } from '@/utils/messages';

const audio = document.querySelector<HTMLAudioElement>('#audio') ?? document.body.appendChild(new Audio());

const engine = createAudioEngine(audio, (event) => {
  sendMessage('player/audio-event', event).catch((error: unknown) => console.error('[offscreen] audio event', error));
});

// Command → handler map; the background is the only sender.
onMessages({
  'offscreen/play': ({ url, startAt }) => engine.play(url, startAt),
  'offscreen/pause': () => engine.pause(),
  'offscreen/resume': () => engine.resume(),
  'offscreen/status': () => engine.status(),
});
