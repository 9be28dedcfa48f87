import { browser, type Browser } from 'wxt/browser';
import { PROGRESS_PORT, type AudioEvent, type ControlAction, type ProgressEvent } from '@/player/messages';
import { createAudioEngine } from './audio-engine';
import type { AudioOutput } from './audio-output';
import { connectMediaSession } from './media-session';

export interface AudioHostOptions {
  /** Where the engine's own events go: a message to the background, or the player itself. */
  report(event: AudioEvent): void;
  /** Media keys and the OS media controls. */
  control(action: ControlAction): void;
  /** The document that plays; defaults to the global one. */
  document?: Document;
}

/** How often an open popup gets the live position. */
const PROGRESS_MS = 250;

/**
 * The document that plays audio: the offscreen document on Chrome, the background page on
 * Firefox. Same engine for both; it also owns what only that document can do — the OS media
 * controls (`media-session.ts`) and the live position for open popups.
 */
export function startAudioHost({ report, control, document: doc = document }: AudioHostOptions): ReturnType<typeof createAudioEngine> {
  const existing = [...doc.querySelectorAll('audio')];
  const elements = [0, 1].map((i) => existing[i] ?? doc.body.appendChild(doc.createElement('audio'))) as [HTMLAudioElement, HTMLAudioElement];
  const session = 'mediaSession' in navigator ? connectMediaSession(navigator.mediaSession, control) : undefined;

  const engine = createAudioEngine(elements, {
    onEvent(event) {
      session?.follow(event);
      report(event);
    },
    onItem: (item) => session?.show(item),
  });

  serveProgress(engine);
  return engine;
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
