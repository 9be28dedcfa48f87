import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Track } from '@@/shared/api';
import { makeTrack } from '@@/test/extension/factories';
import { clearSession, writeSession } from '@/api/session-storage';
import { NOTHING_LOADED, type AudioOutput } from '@/player/audio-output';
import { createQueueOwner } from '@/player/background/queue-owner';
import type { LoadRequest, MediaStatus } from '@/player/messages';
import { playerStateItem } from '@/player/player-state';
import { listeningSettingsItem, markHistoryCleared } from './listening-settings';
import { createPlayRecorder, MAX_UNREPORTED_MS, playThresholdMs } from './play-recorder';
import type { RecordedPlay } from './recorded-play';

const SEC = 1000;
const START = Date.parse('2026-03-01T12:00:00.000Z');

/** Each test track's length in seconds: the fake audio host plays it this long unless told otherwise. */
const lengths = new Map<string, number>();

/**
 * A queue owner over a fake audio host, with the recorder on its `onCommit` as in the background.
 * `restart()` gives a new owner and recorder over the same storage and audio host: a service
 * worker that stopped and was woken again.
 */
function setup(audioSeconds: Record<string, number> = {}) {
  const clock = { now: START };
  let media: MediaStatus = { ...NOTHING_LOADED };
  const output = {
    load: vi.fn(async (request: LoadRequest) => {
      const trackId = request.track?.id;
      media = {
        loaded: true,
        paused: false,
        currentTime: request.startAt ?? 0,
        duration: audioSeconds[trackId ?? ''] ?? lengths.get(trackId ?? '') ?? 60,
        trackId,
      };
      return media;
    }),
    preload: vi.fn(async () => media),
    pause: vi.fn(async () => (media = { ...media, paused: true })),
    resume: vi.fn(async () => (media = { ...media, paused: false })),
    seek: vi.fn(async (positionSec: number) => (media = { ...media, currentTime: positionSec })),
    setVolume: vi.fn(async () => media),
    stop: vi.fn(async () => (media = { ...NOTHING_LOADED })),
    status: vi.fn(async () => media),
  } satisfies AudioOutput;
  const plays: RecordedPlay[] = [];
  const sink = { add: vi.fn(async (play: RecordedPlay) => void plays.push(play)) };
  let ids = 0;
  const start = () => {
    const recorder = createPlayRecorder({ sinks: [sink], now: () => clock.now, newId: () => `play-${++ids}` });
    const owner = createQueueOwner({
      output,
      streams: { get: async (id) => ({ url: `https://media.test/${id}`, expiresAt: '', contentType: 'audio/wav' }), clear: async () => {} },
      storage: playerStateItem,
      probe: async () => 'reachable',
      sleep: async () => {},
      now: () => clock.now,
      log: { error: () => {}, warn: () => {} },
      onCommit: recorder.observe,
    });
    return { owner, recorder };
  };
  let running = start();
  /** Lets `ms` of playing time pass, with the audio host's position reports every 10 s as it sends them. */
  const listen = async (ms: number) => {
    for (let left = ms; left > 0; left -= 10 * SEC) {
      clock.now += Math.min(left, 10 * SEC);
      media = { ...media, currentTime: media.currentTime + Math.min(left, 10 * SEC) / SEC };
      await running.owner.handleAudioEvent({ type: 'checkpoint', positionSec: media.currentTime, durationSec: media.duration });
    }
  };
  return {
    clock,
    plays,
    listen,
    get owner() {
      return running.owner;
    },
    /** Every recorded play so far, once the recorder has handled all it saw. */
    recorded: async () => {
      await running.recorder.settled();
      return plays;
    },
    restart: async () => {
      await running.owner.flush();
      await running.recorder.settled();
      running = start();
    },
    ended: () => running.owner.handleAudioEvent({ type: 'ended' }),
  };
}

const track = (durationMs: number): Track => {
  const made = makeTrack({ durationMs });
  lengths.set(made.id, durationMs / SEC);
  return made;
};

const signIn = (id: string) =>
  writeSession({ accessToken: 'a', refreshToken: 'r', expiresAt: START + 600_000, user: { id, email: `${id}@example.test`, name: id } });

describe('play recorder', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await signIn('listener');
  });

  it('counts half of a short track', async () => {
    const p = setup();
    const [a, b] = [track(60 * SEC), track(60 * SEC)];

    await p.owner.playTracks([a, b, track(60 * SEC)], 0);
    await p.listen(29 * SEC);
    await p.owner.next();
    expect(await p.recorded()).toEqual([]);

    await p.listen(31 * SEC);
    await p.owner.next();
    expect(await p.recorded()).toEqual([
      {
        id: expect.any(String),
        trackId: b.id,
        startedAt: new Date(START + 29 * SEC).toISOString(),
        msPlayed: 31 * SEC,
        userId: 'listener',
        track: b,
      },
    ]);
  });

  it('counts four minutes of a long track, and the whole heard time once it ends', async () => {
    const p = setup();
    const long = track(20 * 60 * SEC);
    expect(playThresholdMs(long)).toBe(4 * 60 * SEC);

    await p.owner.playTracks([long, track(60 * SEC)], 0);
    await p.listen(4 * 60 * SEC - 1 * SEC);
    await p.owner.pause();
    await p.owner.previous(); // more than 3 s in: back to its start, a new play-through
    expect(await p.recorded()).toEqual([]);

    await p.owner.play();
    await p.listen(6 * 60 * SEC);
    await p.owner.next();
    expect(await p.recorded()).toMatchObject([{ trackId: long.id, msPlayed: 6 * 60 * SEC }]);
  });

  it('goes by the length of the audio once it plays, when the catalog says otherwise', async () => {
    const a = track(10 * 60 * SEC);
    const p = setup({ [a.id]: 8 });
    await p.owner.playTracks([a], 0);

    await p.listen(5 * SEC);
    await p.ended();

    expect(await p.recorded()).toMatchObject([{ trackId: a.id, msPlayed: 5 * SEC }]);
  });

  it('does not count a seek forward or a pause, and counts a part heard again after a seek back as it really played', async () => {
    const p = setup();
    const a = track(60 * SEC);
    await p.owner.playTracks([a, track(60 * SEC), track(60 * SEC)], 0);

    await p.listen(10 * SEC);
    await p.owner.seek(50);
    await p.owner.pause();
    p.clock.now += 10 * 60 * SEC;
    await p.owner.play();
    await p.listen(10 * SEC);
    await p.ended();
    expect(await p.recorded()).toEqual([]);

    // The next track: 20 s, back to 5 s, 15 s more: 35 s heard of a 60 s track.
    await p.listen(20 * SEC);
    await p.owner.seek(5);
    await p.listen(15 * SEC);
    await p.owner.next();
    expect(await p.recorded()).toMatchObject([{ msPlayed: 35 * SEC }]);
  });

  it('records one play per play-through: repeat-one plays count each time, a stop after the end adds none', async () => {
    const p = setup();
    const a = track(20 * SEC);
    await p.owner.playTracks([a], 0);
    await p.owner.setRepeat('one');

    await p.listen(20 * SEC);
    await p.ended();
    await p.listen(20 * SEC);
    await p.owner.setRepeat('off');
    await p.ended();
    await p.owner.stop();

    const plays = await p.recorded();
    expect(plays.map((play) => [play.trackId, play.msPlayed])).toEqual([
      [a.id, 20 * SEC],
      [a.id, 20 * SEC],
    ]);
    expect(new Set(plays.map((play) => play.id)).size).toBe(2);
  });

  it('keeps counting across a service worker that stopped mid-track', async () => {
    const p = setup();
    const a = track(60 * SEC);
    await p.owner.playTracks([a], 0);
    await p.listen(20 * SEC);

    await p.restart();
    await p.listen(20 * SEC);
    await p.ended();

    expect(await p.recorded()).toMatchObject([{ trackId: a.id, msPlayed: 40 * SEC, startedAt: new Date(START).toISOString() }]);
  });

  it('counts only the time the audio advanced: a machine asleep with the track "playing" adds nothing', async () => {
    const p = setup();
    const long = track(6 * 60 * SEC);
    await p.owner.playTracks([long, track(60 * SEC)], 0);
    await p.listen(3 * 60 * SEC);

    p.clock.now += 60 * 60 * SEC; // asleep: the audio stood still at 3:00
    await p.owner.pause();
    await p.owner.play();
    await p.listen(20 * SEC);
    p.clock.now += 60 * 60 * SEC; // asleep again; the first report after waking is 10 s on
    await p.listen(10 * SEC);
    await p.owner.next();

    expect(await p.recorded()).toMatchObject([{ msPlayed: 3 * 60 * SEC + 30 * SEC }]);
  });

  it('counts at most a few seconds past the last report when nothing says how far the audio got', async () => {
    const p = setup();
    const long = track(6 * 60 * SEC);
    await p.owner.playTracks([long], 0);
    await p.listen(3 * 60 * SEC);

    p.clock.now += 60 * 60 * SEC;
    await p.owner.stop();

    expect(await p.recorded()).toMatchObject([{ msPlayed: 3 * 60 * SEC + MAX_UNREPORTED_MS }]);
    expect(MAX_UNREPORTED_MS).toBeLessThanOrEqual(15 * SEC);
  });

  it('keeps a play with the account it began on, though a sign-out ends it', async () => {
    const p = setup();
    await p.owner.playTracks([track(60 * SEC)], 0);
    await p.listen(40 * SEC);
    expect(await p.recorded()).toEqual([]);
    await clearSession();
    await p.owner.stop();

    expect(await p.recorded()).toMatchObject([{ userId: 'listener', msPlayed: 40 * SEC }]);
  });

  it('drops the play being heard when its account clears its history, and records those begun after', async () => {
    const p = setup();
    const [a, b] = [track(60 * SEC), track(60 * SEC)];
    await p.owner.playTracks([a, b], 0);
    await p.listen(20 * SEC);
    await markHistoryCleared(new Date(p.clock.now));
    await p.listen(40 * SEC);
    await p.ended();
    p.clock.now += SEC;
    await p.listen(40 * SEC);
    await p.ended();

    expect(await p.recorded()).toMatchObject([{ trackId: b.id }]);
  });

  it('records nothing while the history is paused', async () => {
    const p = setup();
    await listeningSettingsItem.setValue({ historyPaused: true });
    await p.owner.playTracks([track(60 * SEC), track(60 * SEC)], 0);
    await p.listen(60 * SEC);
    await p.ended();
    expect(await p.recorded()).toEqual([]);

    await listeningSettingsItem.setValue({ historyPaused: false });
    await p.listen(60 * SEC);
    await p.ended();
    expect(await p.recorded()).toHaveLength(1);
  });
});
