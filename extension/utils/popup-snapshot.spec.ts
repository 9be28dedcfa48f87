import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { makeSignedIn, makeTracks } from '@@/test/extension/factories';
import { makeFeed } from '@@/test/extension/popup-fakes';
import { clearSession, writeSession } from '@/api/session-storage';
import { IDLE_PLAYER_STATE, playerStateItem } from '@/player/player-state';
import { useHomeStore } from '@/stores/home';
import { useLikesStore } from '@/stores/likes';
import { usePlayerViewStore } from '@/stores/player-view';
import { usePopupStore } from '@/stores/popup';
import { useSessionStore } from '@/stores/session';
import { useViewStore } from '@/stores/view';
import { clearPopupCache, homeCacheItem, viewCacheItem } from './popup-cache';
import {
  captureShell,
  paintShell,
  readSnapshot,
  SHELL_KEY,
  SHELL_MAX_CHARS,
  shellBuild,
  SNAPSHOT_KEY,
  writeShell,
  writeSnapshot,
  type PopupSnapshot,
} from './popup-snapshot';
import { readStartupState } from './popup-startup';

const user = makeSignedIn().user;
const withCovers = (count: number) =>
  makeFeed(count, { tracks: makeTracks(count, { coverUrl: 'https://media.test/c.jpg?X-Amz-Signature=s' }) });

function snapshotOf(overrides: Partial<PopupSnapshot> = {}): PopupSnapshot {
  return { user, home: { value: makeFeed(3), fetchedAt: 5 }, view: { tab: 'home', detail: null }, player: null, ...overrides };
}

/** Runs the frames requested so far (the popup writes its snapshot after a paint). */
async function paintFrames(frames: FrameRequestCallback[]): Promise<void> {
  frames.splice(0).forEach((run) => run(0));
  await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('the popup snapshot', () => {
  let frames: FrameRequestCallback[];

  beforeEach(() => {
    fakeBrowser.reset();
    localStorage.clear();
    setActivePinia(createPinia());
    frames = [];
    vi.stubGlobal('requestAnimationFrame', (run: FrameRequestCallback) => frames.push(run));
    vi.stubGlobal(
      'fetch',
      vi.fn(() => new Promise<Response>(() => {})),
    );
  });
  afterEach(() => {
    usePlayerViewStore().dispose();
    vi.unstubAllGlobals();
    document.head.innerHTML = '';
    document.body.innerHTML = '';
  });

  it('is read back synchronously and keeps only what is painted: no token, no presigned URL, a short queue', () => {
    const queue = makeTracks(6, { coverUrl: 'https://media.test/c.jpg?X-Amz-Security-Token=t' });
    writeSnapshot({
      ...snapshotOf({ home: { value: withCovers(3), fetchedAt: 5 } }),
      // Whatever a caller passes along with the user, only the fields painted are kept.
      user: { ...user, accessToken: 'access-1', refreshToken: 'refresh-1' } as PopupSnapshot['user'],
      player: { ...IDLE_PLAYER_STATE, status: 'paused', queue, index: 2, unshuffled: queue, error: 'x' },
    });

    const stored = localStorage.getItem(SNAPSHOT_KEY)!;
    expect(stored).not.toMatch(/access-1|refresh-1|accessToken|refreshToken|X-Amz|coverUrl/);
    const snapshot = readSnapshot();
    expect(snapshot?.user).toEqual(user);
    expect(snapshot?.home?.value.tracks).toHaveLength(3);
    expect(snapshot?.player).toMatchObject({ status: 'paused', index: 0, queue: [{ id: queue[2]!.id }, { id: queue[3]!.id }] });
    expect(snapshot?.player?.unshuffled).toBeUndefined();
  });

  it('keeps the liked ids of the tracks it paints, so their hearts paint filled, and puts them in the likes store', () => {
    const feed = makeFeed(0, { sections: [{ id: 'new', title: 'New in the library', tracks: makeTracks(2) }], tracks: makeTracks(2) });
    const playing = makeTracks(1);
    const painted = [feed.tracks[1]!.id, feed.sections[0]!.tracks[0]!.id, playing[0]!.id];
    writeSnapshot({
      ...snapshotOf({ home: { value: feed, fetchedAt: 5 } }),
      player: { ...IDLE_PLAYER_STATE, status: 'paused', queue: playing, index: 0 },
      likedIds: ['trk_elsewhere', ...painted],
    });

    const snapshot = readSnapshot()!;
    expect(snapshot.likedIds).toEqual(painted);
    usePopupStore().paintSnapshot(snapshot);
    expect([...useLikesStore().ids]).toEqual(painted);
  });

  it('answers null when there is none, or it cannot be parsed', () => {
    expect(readSnapshot()).toBeNull();
    localStorage.setItem(SNAPSHOT_KEY, '{not json');
    expect(readSnapshot()).toBeNull();
  });

  it('is cleared, shell included, with the rest of the popup cache on sign-out', async () => {
    writeSnapshot(snapshotOf());
    localStorage.setItem(SHELL_KEY, JSON.stringify({ build: ' ', html: '<p>x</p>' }));
    await clearPopupCache();
    expect(localStorage.getItem(SNAPSHOT_KEY)).toBeNull();
    expect(localStorage.getItem(SHELL_KEY)).toBeNull();
  });

  it('paints the stores synchronously, then storage corrects them (the covers arrive) after the first frame', async () => {
    const feed = withCovers(3);
    await writeSession({ ...makeSignedIn(), expiresAt: Date.now() + 600_000 });
    await homeCacheItem.setValue({ value: feed, fetchedAt: 5 });
    await viewCacheItem.setValue({ tab: 'home', detail: null });
    writeSnapshot(snapshotOf({ home: { value: feed, fetchedAt: 5 } }));

    const popup = usePopupStore();
    popup.paintSnapshot(readSnapshot()!);
    expect(popup.painted).toBe(true);
    expect(useSessionStore().user).toEqual(user);
    expect(useHomeStore().feed?.tracks.map((t) => t.id)).toEqual(feed.tracks.map((t) => t.id));
    expect(useHomeStore().feed?.tracks[0]!.coverUrl).toBeUndefined();

    const started = popup.start(readStartupState());
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Nothing replaces the snapshot before its frame is painted.
    expect(useHomeStore().feed?.tracks[0]!.coverUrl).toBeUndefined();
    await paintFrames(frames);
    await started;
    expect(useHomeStore().feed?.tracks[0]!.coverUrl).toBe(feed.tracks[0]!.coverUrl);
  });

  it('forgets the snapshot and what it painted when storage says the listener signed out meanwhile', async () => {
    writeSnapshot(snapshotOf({ view: { tab: 'playlists', detail: null } }));
    const popup = usePopupStore();
    popup.paintSnapshot(readSnapshot()!);
    expect(useSessionStore().signedIn).toBe(true);

    const started = popup.start(readStartupState());
    await new Promise((resolve) => setTimeout(resolve, 5));
    await paintFrames(frames);
    await started;
    await vi.waitFor(() => expect(readSnapshot()).toBeNull());
    expect(useSessionStore().signedIn).toBe(false);
    expect(useHomeStore().feed).toBeNull();
    expect(useViewStore().tab).toBe('home');
  });

  it('is written after the first paint once the popup is open, and cleared when the listener signs out', async () => {
    await writeSession({ ...makeSignedIn(), expiresAt: Date.now() + 600_000 });
    const feed = makeFeed(2);
    await homeCacheItem.setValue({ value: feed, fetchedAt: 9 });
    await playerStateItem.setValue({ ...IDLE_PLAYER_STATE, status: 'paused', queue: feed.tracks, index: 1 });

    await usePopupStore().start(readStartupState());
    expect(readSnapshot()).toBeNull();
    await paintFrames(frames);
    expect(readSnapshot()).toMatchObject({ user, home: { fetchedAt: 9 }, view: { tab: 'home', detail: null } });
    expect(readSnapshot()?.player?.queue?.[0]?.id).toBe(feed.tracks[1]!.id);
    expect(localStorage.getItem(SNAPSHOT_KEY)).not.toMatch(/access-1|refresh-1/);

    await clearSession();
    await vi.waitFor(() => expect(useSessionStore().signedIn).toBe(false));
    await paintFrames(frames);
    await vi.waitFor(() => expect(readSnapshot()).toBeNull());
  });
});

describe('the popup shell', () => {
  beforeEach(() => {
    localStorage.clear();
    document.head.innerHTML =
      '<script type="module" src="/chunks/popup-A1.js"></script><link rel="stylesheet" href="/assets/popup-B2.css">';
    document.body.innerHTML = '<div id="app"></div>';
  });
  afterEach(() => {
    document.head.innerHTML = '';
    document.body.innerHTML = '';
  });

  function renderedApp(): HTMLElement {
    const app = document.createElement('div');
    app.innerHTML =
      '<div class="app"><span class="title">Blue</span><img src="https://media.test/c.jpg?X-Amz-Signature=s" alt=""><input type="range" max="100"></div>';
    app.querySelector('input')!.value = '40';
    return app;
  }

  it('keeps the markup minus presigned URLs, with the sliders where they were', () => {
    const html = captureShell(renderedApp());
    expect(html).toContain('<span class="title">Blue</span>');
    expect(html).not.toContain('X-Amz');
    expect(html).toContain('value="40"');
  });

  it('keeps no URL and nothing that could load or run: URL attributes, image styles, handlers, scripts', () => {
    const signed = 'https://media.test/c.jpg?X-Amz-Signature=s';
    const app = document.createElement('div');
    app.innerHTML = [
      `<div class="row" data-cover="${signed}" style="height: 48px">`,
      `<img srcset="${signed} 2x" alt=""><video poster="${signed}"></video>`,
      `<a href="${signed}">link</a><svg><use href="#note"></use><image xlink:href="${signed}"></image></svg>`,
      `<span style="background-image: url('${signed}')">bg</span>`,
      `<span style="background: u\\72 l(x)">escaped</span>`,
      `<button onclick="steal()">go</button><script>steal()</script>`,
      '<span class="title">&lt;b&gt;Blue &amp; Green&lt;/b&gt;</span>',
      '</div>',
    ].join('');

    const html = captureShell(app);
    expect(html).not.toMatch(/https?:|X-Amz|url\(|u\\72|onclick|<script|steal/);
    expect(html).toContain('style="height: 48px"');
    expect(html).toContain('<use href="#note">');
    expect(html).toContain('<span class="title">&lt;b&gt;Blue &amp; Green&lt;/b&gt;</span>');
  });

  it('is neither saved nor painted when larger than the bound', () => {
    writeSnapshot(snapshotOf());
    const big = `<p>${'x'.repeat(SHELL_MAX_CHARS)}</p>`;
    writeShell(document, big);
    expect(localStorage.getItem(SHELL_KEY)).toBeNull();

    // One saved by anything else is refused too, and a smaller one saved before is forgotten.
    writeShell(document, '<p>small</p>');
    expect(localStorage.getItem(SHELL_KEY)).not.toBeNull();
    writeShell(document, big);
    expect(localStorage.getItem(SHELL_KEY)).toBeNull();
    localStorage.setItem(SHELL_KEY, JSON.stringify({ build: shellBuild(document), html: big }));
    expect(paintShell(document)).toBe(false);
    expect(document.getElementById('app')!.innerHTML).toBe('');
  });

  it('is painted, inert, into #app by the same build when a snapshot goes with it', () => {
    writeSnapshot(snapshotOf());
    writeShell(document, captureShell(renderedApp()));

    expect(paintShell(document)).toBe(true);
    const app = document.getElementById('app')!;
    expect(app.querySelector('.title')?.textContent).toBe('Blue');
    expect(app.firstElementChild?.hasAttribute('inert')).toBe(true);
    expect(app.hasAttribute('data-shell')).toBe(true);
  });

  it('is not painted by another build, nor without a snapshot', () => {
    writeShell(document, captureShell(renderedApp()));
    expect(paintShell(document)).toBe(false);

    writeSnapshot(snapshotOf());
    const build = shellBuild(document);
    document.head.querySelector('script')!.setAttribute('src', '/chunks/popup-C3.js');
    expect(shellBuild(document)).not.toBe(build);
    expect(paintShell(document)).toBe(false);
    expect(document.getElementById('app')!.innerHTML).toBe('');
  });
});
