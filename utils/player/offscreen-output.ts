import { browser } from 'wxt/browser';
import { sendMessage, type MessageRequest, type MessageResponse } from '@/utils/messages';
import { NOTHING_LOADED, type AudioOutput } from './audio-output';

const OFFSCREEN_PATH = '/offscreen.html';

type OffscreenMessage = 'offscreen/preload' | 'offscreen/pause' | 'offscreen/resume' | 'offscreen/seek' | 'offscreen/volume' | 'offscreen/stop' | 'offscreen/status';

/**
 * Chrome's audio output: the single offscreen document. It is created on demand (Chrome
 * allows one, and closes an AUDIO_PLAYBACK document after 30 s of silence), so every command
 * other than `load` first checks whether it still exists and answers "nothing loaded" if not.
 */
export function createOffscreenOutput(): AudioOutput {
  let creating: Promise<void> | undefined;
  const documentUrl = browser.runtime.getURL(OFFSCREEN_PATH);

  async function exists(): Promise<boolean> {
    const contexts = await browser.runtime.getContexts({
      contextTypes: [browser.runtime.ContextType.OFFSCREEN_DOCUMENT],
      documentUrls: [documentUrl],
    });
    return contexts.length > 0;
  }

  async function ensureDocument(): Promise<void> {
    if (await exists()) return;
    // Two plays in quick succession must not both try to create the document.
    creating ??= browser.offscreen
      .createDocument({
        url: OFFSCREEN_PATH,
        reasons: [browser.offscreen.Reason.AUDIO_PLAYBACK],
        justification: 'Plays the music you choose while the popup is closed.',
      })
      .finally(() => {
        creating = undefined;
      });
    await creating;
  }

  async function ifOpen<T extends OffscreenMessage>(type: T, data: MessageRequest<T>): Promise<MessageResponse<T>> {
    return (await exists()) ? sendMessage(type, data) : { ...NOTHING_LOADED };
  }

  return {
    prepare: ensureDocument,
    async load(request) {
      await ensureDocument();
      return sendMessage('offscreen/load', request);
    },
    preload: (item) => ifOpen('offscreen/preload', { item }),
    pause: () => ifOpen('offscreen/pause', {}),
    resume: () => ifOpen('offscreen/resume', {}),
    seek: (positionSec) => ifOpen('offscreen/seek', { positionSec }),
    setVolume: (volume, muted) => ifOpen('offscreen/volume', { volume, muted }),
    stop: () => ifOpen('offscreen/stop', {}),
    status: () => ifOpen('offscreen/status', {}),
  };
}
