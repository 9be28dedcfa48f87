import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { HomeFeed, Playlist, PlaylistEntry, Track } from '@@/shared/api';
import { writeSession } from '@/api/session-storage';
import { jsonResponse, makeSignedIn, makeTracks } from './factories';

let sequence = 0;

/** A signed-in listener whose access token is still fresh. */
export function signIn(): Promise<void> {
  return writeSession({ ...makeSignedIn(), expiresAt: Date.now() + 600_000 });
}

/**
 * Hooks for a `describe` of signed-in popup code: each test starts with empty storage and a
 * signed-in listener, plus an active Pinia of its own with `pinia` (specs that mount a component
 * bring their own); afterwards timers are real and `fetch` is the real one again.
 */
export function signedInEachTest({ pinia = false }: { pinia?: boolean } = {}): void {
  beforeEach(async () => {
    fakeBrowser.reset();
    if (pinia) setActivePinia(createPinia());
    await signIn();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });
}

export function makeFeed(count = 5, overrides: Partial<HomeFeed> = {}): HomeFeed {
  return { generatedAt: '2025-01-01T00:00:00.000Z', tracks: makeTracks(count), sections: [], ...overrides };
}

export function makePlaylist(overrides: Partial<Playlist> = {}): Playlist {
  const n = ++sequence;
  const at = '2025-01-01T00:00:00.000Z';
  return { id: `pl_${n}`, name: `Playlist ${n}`, description: '', entryCount: 0, version: 1, createdAt: at, updatedAt: at, ...overrides };
}

export function makeEntries(tracks: Track[]): PlaylistEntry[] {
  return tracks.map((track) => ({ id: `ent_${++sequence}`, trackId: track.id, addedAt: '2025-01-01T00:00:00.000Z', track }));
}

/** A request `fetch` saw: method, path (with query), headers (names in lower case) and body (parsed JSON, or a Blob). */
export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

type Route = (request: SeenRequest) => Response | Promise<Response> | undefined;

/**
 * Stubs `fetch` with `routes` keyed `"METHOD /path"` (query ignored when matching); an
 * unmatched request gets a 404 error body. Returns every request seen.
 */
export function fakeApi(routes: Record<string, Route | unknown>): SeenRequest[] {
  const seen: SeenRequest[] = [];
  const fetch = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const request: SeenRequest = {
      method: init?.method ?? 'GET',
      path: url.pathname + url.search,
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      // A Blob (an uploaded file) is kept as sent; anything else was JSON.
      body: init?.body instanceof Blob ? init.body : init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    seen.push(request);
    if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    const route = routes[`${request.method} ${url.pathname}`];
    const answer =
      typeof route === 'function' ? await (route as Route)(request) : route === undefined ? undefined : jsonResponse(200, route);
    return answer ?? jsonResponse(404, { error: { code: 'not_found', message: 'Not found' } });
  });
  vi.stubGlobal('fetch', fetch);
  return seen;
}
