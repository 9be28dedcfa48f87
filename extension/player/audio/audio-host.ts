import { browser, type Browser } from 'wxt/browser';
import type { AudioOutput } from '@/player/audio-output';
import {
  AUDIO_HOST_PORT,
  onMessages,
  PROGRESS_PORT,
  sendMessage,
  type AudioEvent,
  type ControlAction,
  type MessageRequest,
  type ProgressEvent,
} from '@/player/messages';
import { createAudioEngine } from './audio-engine';
import { connectMediaSession } from './media-session';

export interface AudioHostOptions {
  /** Where the engine's own events go: a message to the background, or the queue owner itself. */
  report(event: AudioEvent): void;
  /** Media keys and the OS media controls. */
  control(action: ControlAction): void;
  /** The document that plays; defaults to the global one. */
  document?: Document;
}

/** How often an open popup gets the live position. */
const PROGRESS_MS = 250;

/**
 * The audio host, the document that makes sound: the offscreen document on Chrome
 * (`startOffscreenAudioHost`), the background page on Firefox (called by the background with the
 * queue owner as `report`). Same engine for both; it also owns what only that document can do —
 * the OS media controls (`media-session.ts`) and the live position for open popups.
 */
export function startAudioHost({ report, control, document: doc = document }: AudioHostOptions): ReturnType<typeof createAudioEngine> {
  // The page's own elements first, then new ones as the engine needs them (it reuses released ones).
  const existing = [...doc.querySelectorAll('audio')];
  const newElement = () => existing.shift() ?? doc.body.appendChild(doc.createElement('audio'));
  const session = 'mediaSession' in navigator ? connectMediaSession(navigator.mediaSession, control) : undefined;

  const engine = createAudioEngine(newElement, {
    onEvent(event) {
      session?.follow(event);
      report(event);
    },
    onItem: (item) => session?.show(item),
  });

  serveProgress(engine);
  return engine;
}

/**
 * Chrome's audio host, in the offscreen document: reports to the queue owner over messages
 * (which also wake a stopped service worker) and answers its `offscreen/*` commands. Errors are
 * logged here, at the boundary.
 */
export function startOffscreenAudioHost(): void {
  const tell = <T extends 'player/audio-event' | 'player/control'>(type: T, data: MessageRequest<T>) =>
    void sendMessage(type, data).catch((error: unknown) => console.error(`[offscreen] ${type}`, error));
  const engine = startAudioHost({
    report: (event) => tell('player/audio-event', event),
    control: (action) => tell('player/control', { action }),
  });
  // Held for as long as this document lives: its closing tells the queue owner the document is gone.
  browser.runtime.connect({ name: AUDIO_HOST_PORT });

  onMessages({
    'offscreen/load': (request) => engine.load(request),
    'offscreen/advance': ({ trackId }) => engine.advance(trackId),
    'offscreen/preload': ({ item }) => engine.preload(item),
    'offscreen/buffer': ({ items }) => engine.buffer(items),
    'offscreen/forget': () => engine.forget(),
    'offscreen/pause': () => engine.pause(),
    'offscreen/resume': () => engine.resume(),
    'offscreen/seek': ({ positionSec }) => engine.seek(positionSec),
    'offscreen/volume': ({ volume, muted }) => engine.setVolume(volume, muted),
    'offscreen/stop': () => engine.stop(),
    'offscreen/status': () => engine.status(),
  });
}

/** Pushes the live position to each popup that opened a `player/progress` port, while it stays open. */
function serveProgress(engine: AudioOutput): void {
  browser.runtime.onConnect.addListener((port: Browser.runtime.Port) => {
    if (port.name !== PROGRESS_PORT) return;
    const push = async () => {
      const media = await engine.status();
      const event: ProgressEvent = {
        ...(media.trackId && { trackId: media.trackId }),
        positionSec: media.currentTime,
        durationSec: media.duration,
        paused: media.paused,
      };
      port.postMessage(event);
    };
    const timer = setInterval(() => void push().catch(() => clearInterval(timer)), PROGRESS_MS);
    port.onDisconnect.addListener(() => clearInterval(timer));
    void push();
  });
}
