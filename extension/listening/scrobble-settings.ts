import { storage } from 'wxt/utils/storage';
import { normalizeBackendUrl, originPattern } from '@/api/backend-urls';

/** ListenBrainz's own API; any server speaking its API (a self-hosted one, Maloja, …) works too. */
export const DEFAULT_LISTENBRAINZ_URL = 'https://api.listenbrainz.org';

/** What the listener set on the options page under "Scrobble to ListenBrainz". */
export interface ScrobbleSettings {
  enabled: boolean;
  /** Base URL the API paths (`/1/submit-listens`) are joined onto, without a trailing slash. */
  serverUrl: string;
  /** The listener's ListenBrainz user token: sent only to `serverUrl`, never logged. */
  token: string;
}

/**
 * Kept in `storage.local` only: `storage.sync` would copy the token to every browser of the
 * account, and only extension contexts can read `storage.local`.
 */
export const scrobbleSettingsItem = storage.defineItem<ScrobbleSettings>('local:listenbrainz:settings', {
  fallback: { enabled: false, serverUrl: DEFAULT_LISTENBRAINZ_URL, token: '' },
});

/** Why scrobbling stopped until the listener acts; null while all is well. */
export interface ScrobbleProblem {
  /** `token_rejected`: the server answered 401, so nothing is sent until a new token is saved. */
  code: 'token_rejected';
  message: string;
  /** ISO time it happened. */
  at: string;
}

export const scrobbleProblemItem = storage.defineItem<ScrobbleProblem | null>('local:listenbrainz:problem', { fallback: null });

/**
 * Checks a server URL as the listener typed it: https, or http to this computer (a server on
 * the listener's own machine), the rule the Alktunes servers follow since the token travels
 * in every request. Returns it without a trailing slash; throws with a sentence to show.
 */
export function normalizeListenBrainzUrl(value: string): string {
  return normalizeBackendUrl(value, 'The ListenBrainz server URL');
}

/** The host permission the extension needs to reach `serverUrl` (see `originPattern` for Firefox's ports). */
export function listenBrainzOrigins(serverUrl: string, anyPort: boolean): string[] {
  return [originPattern(serverUrl, { anyPort })];
}

/**
 * Stores what the listener saved. Saving is the listener's answer to a refused token (the old
 * one fixed, or the same one confirmed), so the problem is cleared and the scrobbler tries again.
 */
export async function saveScrobbleSettings(settings: ScrobbleSettings): Promise<void> {
  await scrobbleSettingsItem.setValue(settings);
  await scrobbleProblemItem.setValue(null);
}
