import { browser } from 'wxt/browser';
import { sendMessage } from '@/utils/messages';
import { NOTHING_LOADED, type AudioOutput } from './audio-output';

const OFFSCREEN_PATH = '/offscreen.html';

/**
 * Chrome's audio output: the single offscreen document. It is created on demand (Chrome
 * allows one, and closes an AUDIO_PLAYBACK document after 30 s of silence), so every call
 * first checks whether it still exists.
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

  return {
    async play(url, startAt) {
      await ensureDocument();
      return sendMessage('offscreen/play', { url, startAt });
    },
    async pause() {
      return (await exists()) ? sendMessage('offscreen/pause', {}) : { ...NOTHING_LOADED };
    },
    async resume() {
      return (await exists()) ? sendMessage('offscreen/resume', {}) : { ...NOTHING_LOADED };
    },
    async status() {
      return (await exists()) ? sendMessage('offscreen/status', {}) : { ...NOTHING_LOADED };
    },
  };
}
