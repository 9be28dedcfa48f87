// Shared by the build (`wxt.config.ts`, `wxt.build.ts`, in Node) and the extension
// (`config.ts`), so it must not touch `import.meta.env` or browser APIs.

/** Where the extension finds the backend. */
export interface BackendUrls {
  /** Auth server base URL (`POST /auth/login`, `/auth/register`, `/auth/refresh`). */
  authUrl: string;
  /** API base URL (`GET /albums`, `/tracks/{id}/stream`, …). */
  apiUrl: string;
  /** Origin the presigned audio and cover URLs point at (S3 or its local stand-in). */
  mediaUrl: string;
}

export const DEFAULT_BACKEND_URLS: Readonly<BackendUrls> = Object.freeze({
  authUrl: 'http://127.0.0.1:8710',
  apiUrl: 'http://127.0.0.1:8711',
  mediaUrl: 'http://127.0.0.1:8712',
});

export type EnvLike = Record<string, string | boolean | undefined>;

/**
 * Reads and validates the backend URLs from an env object (`import.meta.env` in the
 * extension, `process.env` in the build). Throws with the variable to fix when one is not
 * an https URL (or http to this computer), so a bad build fails before it ships.
 */
export function resolveBackendUrls(env: EnvLike): BackendUrls {
  return {
    authUrl: readUrl(env, 'WXT_AUTH_URL', DEFAULT_BACKEND_URLS.authUrl),
    apiUrl: readUrl(env, 'WXT_API_URL', DEFAULT_BACKEND_URLS.apiUrl),
    mediaUrl: readUrl(env, 'WXT_MEDIA_URL', DEFAULT_BACKEND_URLS.mediaUrl),
  };
}

/** How patterns are written for the browser at hand. */
export interface PatternOptions {
  /**
   * Leave the port out, so the pattern covers the host on every port (Firefox). Firefox's match
   * patterns cannot name a port: one that does grants nothing, so a request to that origin stays
   * cross-origin and fails unless the server sends CORS headers (S3 and s3rver do not).
   */
  anyPort?: boolean;
}

/** Match pattern covering every path on the URL's origin, for `host_permissions`. */
export function originPattern(url: string, { anyPort = false }: PatternOptions = {}): string {
  const { origin, protocol, hostname } = new URL(url);
  return `${anyPort ? `${protocol}//${hostname}` : origin}/*`;
}

function readUrl(env: EnvLike, name: string, fallback: string): string {
  const raw = env[name];
  return normalizeBackendUrl(typeof raw === 'string' && raw.trim() !== '' ? raw : fallback, name);
}

/**
 * Checks that `value` is an absolute https URL, or http to this computer (a local stack in
 * development), and returns it without a trailing slash (paths are joined onto it). Passwords
 * and refresh tokens travel to these servers, so the build, the options page and servers saved
 * earlier all pass through this one rule. Throws with `label` in the message otherwise.
 */
export function normalizeBackendUrl(value: string, label: string): string {
  const trimmed = value.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new Error(`${label} must be an absolute http(s) URL, got "${trimmed}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${label} must use http or https, got "${trimmed}"`);
  }
  if (url.protocol !== 'https:' && !isLocalHost(url.hostname)) {
    throw new Error(`${label} must use https:// (plain http:// only for this computer: localhost, 127.x.x.x or [::1])`);
  }
  return trimmed.replace(/\/+$/, '');
}

/**
 * True for host names that can only mean this computer: `localhost` and `*.localhost` (which
 * browsers resolve to loopback themselves), 127.0.0.0/8 and ::1. `hostname` is as the URL parser
 * gives it, so IPv4 is already dotted decimal (`127.1` → `127.0.0.1`) and IPv6 compressed in brackets.
 */
function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '[::1]';
}

/** Host permission patterns for every origin in `urls`, without duplicates. */
export function originPatterns(urls: BackendUrls, options: PatternOptions = {}): string[] {
  return [...new Set([urls.authUrl, urls.apiUrl, urls.mediaUrl].map((url) => originPattern(url, options)))];
}
