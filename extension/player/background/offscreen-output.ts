import { browser } from 'wxt/browser';
import { NOTHING_LOADED, type AudioOutput } from '@/player/audio-output';
import { MessageError, sendMessage, type MessageRequest, type MessageResponse } from '@/player/messages';

const OFFSCREEN_PATH = '/offscreen.html';

type OffscreenMessage =
  | 'offscreen/preload'
  | 'offscreen/buffer'
  | 'offscreen/forget'
  | 'offscreen/pause'
  | 'offscreen/resume'
  | 'offscreen/seek'
  | 'offscreen/volume'
  | 'offscreen/stop'
  | 'offscreen/status';

/**
 * Chrome's audio output: the single offscreen document. It is created on demand (Chrome
 * allows one, and closes an AUDIO_PLAYBACK document after 30 s of silence), so every command
 * other than `load` first checks whether it still exists and answers "nothing loaded" if not.
 *
 * Opening and closing the document take turns (`inTurn`), and a `load` waits for the turn in
 * progress: a play that comes while the document is being closed opens it again afterwards
 * instead of finding no one to play it, and a close that comes after a play has started asks
 * `idle()` once more right before closing, so it never cuts off that play.
 */
export function createOffscreenOutput(): AudioOutput {
  /** The last open or close in line; the next one starts once it has settled. */
  let turn: Promise<unknown> = Promise.resolve();
  /** An open in line with no close after it, which a second caller can wait on instead of queueing its own. */
  let opening: Promise<void> | undefined;
  /** Whether the document was there at the last check; a stale `true` costs one failed send. */
  let open = false;
  const documentUrl = browser.runtime.getURL(OFFSCREEN_PATH);

  function inTurn<T>(step: () => Promise<T>): Promise<T> {
    const run = turn.then(step, step);
    turn = run.catch(() => {});
    return run;
  }

  async function exists(): Promise<boolean> {
    const contexts = await browser.runtime.getContexts({
      contextTypes: [browser.runtime.ContextType.OFFSCREEN_DOCUMENT],
      documentUrls: [documentUrl],
    });
    return contexts.length > 0;
  }

  async function create(): Promise<void> {
    if (await exists()) {
      open = true;
      return;
    }
    try {
      await browser.offscreen.createDocument({
        url: OFFSCREEN_PATH,
        reasons: [browser.offscreen.Reason.AUDIO_PLAYBACK],
        justification: 'Plays the music you choose while the popup is closed.',
      });
    } catch (error) {
      // Created meanwhile by someone else (a worker that was just replaced): there it is.
      if (!/single offscreen document/i.test(error instanceof Error ? error.message : String(error)) || !(await exists())) throw error;
    }
    open = true;
  }

  /** Opens the document unless it is open; two plays in quick succession share one attempt. */
  function ensureDocument(): Promise<void> {
    opening ??= inTurn(create).finally(() => {
      opening = undefined;
    });
    return opening;
  }

  async function ifOpen<T extends OffscreenMessage>(type: T, data: MessageRequest<T>): Promise<MessageResponse<T>> {
    return (await exists()) ? sendMessage(type, data) : { ...NOTHING_LOADED };
  }

  return {
    prepare: ensureDocument,
    async load(request) {
      await turn; // an open or close under way finishes first
      // Straight to the document when it was there a moment ago (prepare() runs just before):
      // checking again would cost a round trip on every track start.
      if (open) {
        try {
          return await sendMessage('offscreen/load', request);
        } catch (error) {
          if (!undelivered(error)) throw error;
          open = false;
        }
      }
      await ensureDocument();
      return sendMessage('offscreen/load', request);
    },
    // The first thing a "next" does, so no existence check first: no document, no preload.
    advance: (trackId) =>
      sendMessage('offscreen/advance', { trackId }).catch((error: unknown) => {
        if (!undelivered(error)) throw error;
        open = false;
        return null;
      }),
    preload: (item) => ifOpen('offscreen/preload', { item }),
    buffer: (items) => ifOpen('offscreen/buffer', { items }),
    forget: () => ifOpen('offscreen/forget', {}),
    close(idle = () => true) {
      opening = undefined; // an open after this close must not wait on one before it
      return inTurn(async () => {
        if (!idle() || !(await exists()) || !idle()) return;
        open = false;
        await browser.offscreen.closeDocument();
      });
    },
    pause: () => ifOpen('offscreen/pause', {}),
    resume: () => ifOpen('offscreen/resume', {}),
    seek: (positionSec) => ifOpen('offscreen/seek', { positionSec }),
    setVolume: (volume, muted) => ifOpen('offscreen/volume', { volume, muted }),
    stop: () => ifOpen('offscreen/stop', {}),
    status: () => ifOpen('offscreen/status', {}),
  };
}

/** True when a message reached no offscreen document (closed, or not created yet). */
export function undelivered(error: unknown): boolean {
  if (error instanceof MessageError) return error.code === 'no_receiver';
  const message = error instanceof Error ? error.message : String(error);
  return /Receiving end does not exist|message port closed/i.test(message);
}
