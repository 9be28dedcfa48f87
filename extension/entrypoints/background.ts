import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { apiClient } from '@/api/api-client';
import { watchSession } from '@/api/session-storage';
import { createStreamUrls } from '@/api/stream-urls';
import { createPlayOutbox, keepSendingPlays } from '@/listening/play-outbox';
import { createPlayRecorder } from '@/listening/play-recorder';
import { createScrobbler } from '@/listening/scrobbler';
import { startAudioHost } from '@/player/audio/audio-host';
import type { AudioOutput } from '@/player/audio-output';
import { commandAction } from '@/player/background/media-keys';
import { createOffscreenOutput } from '@/player/background/offscreen-output';
import { createQueueOwner, servePrewarm, serveQueueOwner } from '@/player/background/queue-owner';
import { forgetRetiredData } from '@/player/background/retired-data';
import { createStreamCache } from '@/player/background/stream-cache';
import { keepTokenFresh } from '@/player/background/token-refresh';
import { playerStateItem } from '@/player/player-state';

/**
 * The background runs the queue owner and answers the `player/*` messages. On Chrome the sound
 * comes from the offscreen document; where there is no offscreen API (Firefox, whose background
 * is a persistent page with a DOM) this page is the audio host itself.
 */
export default defineBackground({
  // Firefox plays audio in the background page itself, so it must not be unloaded.
  persistent: { firefox: true },
  main() {
    forgetRetiredData();
    const streamUrls = createStreamUrls();
    const streams = createStreamCache({ fetchStream: (id) => streamUrls.fetch(id) });
    const output: AudioOutput = browser.offscreen
      ? createOffscreenOutput()
      : startAudioHost({ report: (event) => void owner.handleAudioEvent(event), control: (action) => void owner.control(action) });
    const refreshToken = () => apiClient().refreshSoon(120_000);
    // Each play heard long enough goes to the API (through its outbox) and to ListenBrainz.
    const outbox = createPlayOutbox();
    const recorder = createPlayRecorder({ sinks: [outbox, createScrobbler()] });
    keepSendingPlays(outbox);
    const owner = createQueueOwner({ output, streams, storage: playerStateItem, refreshToken, onCommit: recorder.observe });
    serveQueueOwner(owner);
    servePrewarm(owner);
    // The worker just started (with the browser, or woken by an alarm or a key): with the current
    // track's URL at hand, a media key's play only waits for the audio host to open.
    void owner.warmCurrent();

    browser.commands.onCommand.addListener((command) => {
      const action = commandAction(command);
      if (action) void owner.control(action);
    });

    // A sign-out here or in the popup, or a refresh the server refused, ends playback cleanly.
    watchSession((session) => {
      if (!session) void owner.stop({ code: 'signed_out', message: 'You signed out, so playback stopped.', at: Date.now() });
    });
    keepTokenFresh(refreshToken);
  },
});
