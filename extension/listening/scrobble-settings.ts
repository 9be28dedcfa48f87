import { storage } from 'wxt/utils/storage';
import { normalizeBackendUrl, originPattern } from '@/api/backend-urls';
import { readSession } from '@/api/session-storage';

/** ListenBrainz's own API; any server speaking its API (a self-hosted one, Maloja, …) works too. */
export const DEFAULT_LISTENBRAINZ_URL = 'https://api.listenbrainz.org';

/** What the listener set on the options page under "Scrobble to ListenBrainz". */
export interface ScrobbleSettings {
  enabled: boolean;
  /** Base URL the API paths (`/1/submit-listens`) are joined onto, without a trailing slash. */
  serverUrl: string;
  /** The listener's ListenBrainz user token: sent only to `serverUrl`, never logged. */
  token: string;
  /**
   * The Alktunes account that saved them. Only its plays are scrobbled, and only it sees them on
   * the options page: another account signed in to this browser starts from none.
   */
  userId?: string;
}

/** What an account sees before it saved anything, and what another account's settings look like to it. */
const NO_SCROBBLE_SETTINGS: ScrobbleSettings = { enabled: false, serverUrl: DEFAULT_LISTENBRAINZ_URL, token: '' };

/**
 * Kept in `storage.local` only: `storage.sync` would copy the token to every browser of the
 * account, and only extension contexts can read `storage.local`.
 */
export const scrobbleSettingsItem = storage.defineItem<ScrobbleSettings>('local:listenbrainz:settings', {
  fallback: NO_SCROBBLE_SETTINGS,
});

/** The settings the options page shows: the signed-in account's own, or none when another account (or nobody) saved them. */
export async function loadScrobbleSettings(): Promise<ScrobbleSettings> {
  const [stored, session] = await Promise.all([scrobbleSettingsItem.getValue(), readSession()]);
  return session && stored.userId === session.user.id ? stored : { ...NO_SCROBBLE_SETTINGS };
}

/** Why scrobbling stopped until the listener acts; null while all is well. */
export interface ScrobbleProblem {
  /** `token_rejected`: the server answered 401 (or the stored token cannot go in a request), so nothing is sent until a new token is saved. */
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

/**
 * Checks a token as the listener pasted it: without the spaces around it, on one line of
 * printable ASCII (a ListenBrainz token is a UUID). Anything else cannot go in a request header,
 * so every send would fail as if the server were down. Returns it trimmed; throws with a sentence to show.
 */
export function normalizeListenBrainzToken(value: string): string {
  const token = value.trim();
  if (!/^[\x21-\x7e]*$/.test(token)) {
    throw new Error(
      'This ListenBrainz token has a space, a line break or a character a token cannot have. Copy it again from listenbrainz.org → Settings → User token.',
    );
  }
  return token;
}

/** The host permission the extension needs to reach `serverUrl` (see `originPattern` for Firefox's ports). */
export function listenBrainzOrigins(serverUrl: string, anyPort: boolean): string[] {
  return [originPattern(serverUrl, { anyPort })];
}

/**
 * Stores what the listener saved, as the signed-in account's (throws when nobody is signed in,
 * or the token cannot be one). Saving is the listener's answer to a refused token (the old one
 * fixed, or the same one confirmed), so the problem is cleared and the scrobbler tries again.
 */
export async function saveScrobbleSettings(settings: Omit<ScrobbleSettings, 'userId'>): Promise<void> {
  const token = normalizeListenBrainzToken(settings.token);
  const session = await readSession();
  if (!session) throw new Error('Sign in from the Alktunes popup to scrobble your plays.');
  await scrobbleSettingsItem.setValue({ ...settings, token, userId: session.user.id });
  await scrobbleProblemItem.setValue(null);
}
