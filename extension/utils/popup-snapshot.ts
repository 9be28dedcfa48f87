import type { HomeFeed, Track, User } from '@@/shared/api';
import type { PlayerState } from '@/player/player-state';
import type { Cached, ViewState } from './popup-cache';

/**
 * What the popup last showed, kept in this extension's `localStorage` so that the next open can
 * paint it synchronously, before its script has waited on anything: `storage.local` answers
 * asynchronously (a round trip to the browser process), `localStorage` does not. It holds only
 * what is painted — the listener's name, the home feed, the view, the current track, which of
 * those tracks are liked — never a token, and no presigned URL (cover art arrives a moment later
 * from `storage.local`, which stays the source of truth and corrects whatever this copy got
 * wrong). Cleared on sign-out together with the rest of the popup's cache.
 */
export interface PopupSnapshot {
  /** The signed-in listener, as the header shows them. */
  user: User;
  home: Cached<HomeFeed> | null;
  view: ViewState | null;
  /** The player as the now-playing bar paints it: the current track and the one after it. */
  player: Partial<PlayerState> | null;
  /**
   * The liked ids among the tracks above, so their hearts paint filled (all of them would be a
   * long list read on every open). Absent from snapshots written before hearts existed.
   */
  likedIds?: string[];
}

/** The `localStorage` key; its version changes whenever the shape above does. */
export const SNAPSHOT_KEY = 'popup.snapshot.v1';
/** The `localStorage` key of the shell: the markup of the home view as last painted. */
export const SHELL_KEY = 'popup.shell.v1';

/**
 * The shell: the popup's markup as Vue last rendered it on the home view, which
 * `entrypoints/popup-shell.ts` puts on screen (inert) as soon as the page is parsed, before the
 * app's script has even loaded; mounting the app then replaces it with the same view, live. It
 * is the markup of this very build (`build`, the page's script and style URLs, which carry
 * content hashes): its scoped-style attributes match only this build's CSS.
 */
export interface PopupShell {
  build: string;
  html: string;
}

/** A track as painted: everything but its cover's presigned URL. */
function painted(track: Track): Track {
  const { coverUrl: _, ...rest } = track;
  return rest;
}

function paintedFeed(cached: Cached<HomeFeed> | null): Cached<HomeFeed> | null {
  if (!cached) return null;
  const { value } = cached;
  return {
    fetchedAt: cached.fetchedAt,
    value: {
      ...value,
      tracks: value.tracks.map(painted),
      sections: value.sections.map((section) => ({ ...section, tracks: section.tracks.map(painted) })),
    },
  };
}

/**
 * The part of the player state the now-playing bar paints: status, position and modes, and a
 * queue cut to the current track and the next one (enough for the transport's enabled buttons).
 */
function paintedPlayer(state: Partial<PlayerState> | null): Partial<PlayerState> | null {
  if (!state) return null;
  const { queue = [], index = -1, unshuffled: _, error: __, notice: ___, ...rest } = state;
  const kept = index >= 0 ? queue.slice(index, index + 2) : [];
  return { ...rest, queue: kept.map(painted), index: kept.length ? 0 : -1 };
}

function localStorageOrNull(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    // A browser that refuses the page its storage: the popup then paints after storage.local answers.
    return null;
  }
}

/** The snapshot the popup last wrote, or null (none, unreadable, or from another version). */
export function readSnapshot(): PopupSnapshot | null {
  try {
    const text = localStorageOrNull()?.getItem(SNAPSHOT_KEY);
    const snapshot = text ? (JSON.parse(text) as PopupSnapshot) : null;
    return snapshot?.user ? snapshot : null;
  } catch {
    return null;
  }
}

/** Saves what a signed-in popup shows; everything not painted is left out (see `PopupSnapshot`). */
export function writeSnapshot(state: PopupSnapshot): void {
  const home = paintedFeed(state.home);
  const player = paintedPlayer(state.player);
  const shown = new Set(
    [...(home?.value.tracks ?? []), ...(home?.value.sections.flatMap((s) => s.tracks) ?? []), ...(player?.queue ?? [])].map((t) => t.id),
  );
  const snapshot: PopupSnapshot = {
    user: { id: state.user.id, email: state.user.email, name: state.user.name },
    home,
    view: state.view,
    player,
    likedIds: (state.likedIds ?? []).filter((id) => shown.has(id)),
  };
  try {
    localStorageOrNull()?.setItem(SNAPSHOT_KEY, JSON.stringify(snapshot));
  } catch {
    // Full or refused: the next open paints after storage.local answers, as without a snapshot.
    clearSnapshot();
  }
}

export function clearSnapshot(): void {
  try {
    localStorageOrNull()?.removeItem(SNAPSHOT_KEY);
    localStorageOrNull()?.removeItem(SHELL_KEY);
  } catch {
    // Nothing to clear where there is no storage.
  }
}

/**
 * Names this build of the popup: the URLs of the page's module script and style sheet, which
 * carry content hashes (the first of each: views loaded later add style sheets after them).
 */
export function shellBuild(doc: Document): string {
  const script = doc.querySelector('script[type="module"][src]')?.getAttribute('src');
  const style = doc.querySelector('link[rel="stylesheet"]')?.getAttribute('href');
  return `${script ?? ''} ${style ?? ''}`;
}

/** The longest shell kept or painted (characters of markup): the home view is far smaller. */
export const SHELL_MAX_CHARS = 200_000;

/** Attributes whose value is a URL the browser would load or follow (an in-page `#fragment` aside). */
const URL_ATTRIBUTES = new Set([
  'src',
  'srcset',
  'href',
  'xlink:href',
  'poster',
  'action',
  'formaction',
  'data',
  'background',
  'ping',
  'cite',
]);
/** A URL with a scheme, anywhere in an attribute's value. */
const HAS_URL = /\b(?:https?|wss?|ftp|blob|data|file|javascript|chrome-extension|moz-extension):/i;
/** An inline style that could load something: `url(…)`, `image-set(…)`, or CSS escapes that might spell either. */
const STYLE_MAY_LOAD = /url\s*\(|image|\\|@import/i;

/**
 * Removes from `root` (a detached copy) whatever must not be kept or could load anything when
 * the markup is painted again: elements Vue never renders in the popup (scripts, frames, style
 * sheets…), event-handler attributes, URL attributes (cover art's presigned URLs: an `<img>`
 * without `src` paints nothing until the app fills it in), styles that could fetch an image, and
 * any other attribute whose value holds a URL.
 */
function stripForShell(root: Element): void {
  for (const el of root.querySelectorAll('script, iframe, frame, object, embed, link, meta, base, style, template')) el.remove();
  for (const el of [root, ...root.querySelectorAll('*')]) {
    for (const { name, value } of [...el.attributes]) {
      const lower = name.toLowerCase();
      const strip =
        lower.startsWith('on') ||
        (URL_ATTRIBUTES.has(lower) && !value.startsWith('#')) ||
        (lower === 'style' && STYLE_MAY_LOAD.test(value)) ||
        HAS_URL.test(value);
      if (strip) el.removeAttribute(name);
    }
  }
}

/**
 * The markup of `root`'s content, as painted, minus what must not be kept (`stripForShell`): text
 * comes out escaped, and no URL — so no presigned URL — is left in it. Sliders keep their
 * position, which Vue sets as a property, not an attribute.
 */
export function captureShell(root: Element): string {
  const copy = root.cloneNode(true) as Element;
  const sliders = root.querySelectorAll<HTMLInputElement>('input[type="range"]');
  copy.querySelectorAll('input[type="range"]').forEach((slider, i) => slider.setAttribute('value', sliders[i]?.value ?? ''));
  stripForShell(copy);
  return copy.innerHTML;
}

/** Saves the shell of what is on screen, or forgets it (`html` null) when that is not the home view. */
export function writeShell(doc: Document, html: string | null): void {
  try {
    // Larger than any home view: something else is on screen, and it is not kept.
    if (html === null || html.length > SHELL_MAX_CHARS) localStorageOrNull()?.removeItem(SHELL_KEY);
    else localStorageOrNull()?.setItem(SHELL_KEY, JSON.stringify({ build: shellBuild(doc), html } satisfies PopupShell));
  } catch {
    clearSnapshot();
  }
}

/**
 * Puts the saved shell into `#app` when it was saved by this build and a snapshot goes with it
 * (the app mounts at once from the snapshot, replacing the shell with the same view). Inert: the
 * shell's buttons do nothing, so a click waits for the live ones. Returns whether it painted.
 */
export function paintShell(doc: Document): boolean {
  try {
    const storage = localStorageOrNull();
    const app = doc.getElementById('app');
    const text = storage?.getItem(SHELL_KEY);
    if (!app || !text || text.length > SHELL_MAX_CHARS || !storage?.getItem(SNAPSHOT_KEY)) return false;
    const shell = JSON.parse(text) as PopupShell;
    if (shell.build !== shellBuild(doc) || typeof shell.html !== 'string') return false;
    app.innerHTML = shell.html;
    app.setAttribute('data-shell', '');
    app.firstElementChild?.setAttribute('inert', '');
    globalThis.performance?.mark?.('popup:shell');
    return true;
  } catch {
    return false;
  }
}
