import type { AuthTokens, ErrorBody, RegistrationInfo, RegistrationPolicy, SignedIn } from '@@/shared/api';
import { backendUrls, loadBackendUrls } from './config';
import { clearSession, readSession, writeSession, type StoredSession } from './session-storage';

/** Any failed call: an HTTP error body (`ErrorBody`) or a network failure. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** Stable snake_case code from the server, or a client-side one (`network_error`, …). */
    readonly code: string,
    message: string,
    /** The input field the error is about, when the server names one. */
    readonly field?: string,
    /** The error body's other fields, e.g. `retryable` on a 409, `added`/`requested` on a partial add. */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export interface ApiClientOptions {
  authUrl: string;
  apiUrl: string;
  /** Defaults to the global `fetch`, looked up per call so tests can stub it. */
  fetch?: typeof fetch;
  /** Called after the server refused a refresh (401/400) and the session was cleared. */
  onSignedOut?: () => void;
  /** Clock for token expiry; defaults to `Date.now`. */
  now?: () => number;
  /** Resolves once the URLs above are known (they may be read from storage); awaited before each call. */
  ready?: () => Promise<unknown>;
}

export type Query = Record<string, string | number | undefined>;

export interface SendOptions {
  /** Aborts the request: it then rejects with code `aborted`, or `timeout` when the reason is a `TimeoutError`. */
  signal?: AbortSignal;
  /** Sent as `Idempotency-Key` (API.md): the server answers a repeat of the request with its first answer. */
  idempotencyKey?: string;
}

/** A new account as the sign-up form collects it. */
export interface Registration {
  name: string;
  email: string;
  password: string;
  /** An admin's invite code; the server reads it only under the `invite` policy. */
  inviteCode?: string;
}

/** Refresh a little early so a token does not expire in flight. */
const EXPIRY_MARGIN_MS = 10_000;
/** The Web Lock held while the stored session is read and replaced: one refresh at a time, extension-wide. */
const SESSION_LOCK = 'alktunes-session';
/**
 * A hung refresh must not hold the session lock (and every other context) for long. The server's
 * grace window (`REFRESH_TOKEN_GRACE_SECONDS`) outlasts two of these plus the background's next
 * alarm, so a token whose answer got lost still comes back in time.
 */
export const REFRESH_TIMEOUT_MS = 15_000;

/**
 * The one HTTP client for the auth server and the API. It adds the bearer token, turns
 * error bodies into `ApiError`, refreshes once on a 401 and signs out when the server refuses that.
 */
export function createApiClient(options: ApiClientOptions) {
  const now = options.now ?? Date.now;
  const doFetch = (input: string, init?: RequestInit) => (options.fetch ?? globalThis.fetch)(input, init);
  const withSessionLock = async <T>(run: () => Promise<T>): Promise<T> => navigator.locks.request(SESSION_LOCK, run);

  async function request<T>(url: string, init: RequestInit, read: (response: Response) => Promise<unknown> = (r) => r.json()): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(url, init);
    } catch {
      if (init.signal?.aborted) {
        // A timeout is a request that went unanswered (a caller may send it again); any other abort was wanted.
        if ((init.signal.reason as Error | undefined)?.name === 'TimeoutError') {
          throw new ApiError(0, 'timeout', 'Alktunes took too long to answer. Try again in a moment.');
        }
        throw new ApiError(0, 'aborted', 'The request was cancelled.');
      }
      throw new ApiError(0, 'network_error', "Can't reach Alktunes. Check your connection and try again.");
    }
    if (!response.ok) throw await toApiError(response);
    if (response.status === 204) return undefined as T;
    return (await read(response)) as T;
  }

  /** GETs JSON from the auth server at `path`, without credentials. */
  async function getJson<T>(path: string): Promise<T> {
    await options.ready?.();
    return request<T>(`${options.authUrl}${path}`, { headers: { accept: 'application/json' } });
  }

  /** POSTs JSON to the auth server at `path`. */
  async function postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    await options.ready?.();
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    return request<T>(`${options.authUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body), ...(signal && { signal }) });
  }

  async function startSession(auth: SignedIn): Promise<StoredSession> {
    const session: StoredSession = {
      accessToken: auth.accessToken,
      refreshToken: auth.refreshToken,
      expiresAt: now() + auth.expiresIn * 1000,
      user: auth.user,
    };
    await writeSession(session);
    return session;
  }

  async function signOutLocally(): Promise<void> {
    await clearSession();
    options.onSignedOut?.();
  }

  /**
   * Trades the refresh token for new tokens, one extension context at a time. Popup, background
   * and offscreen document each run their own client over one `storage.local`; two of them
   * spending the same refresh token would look like theft to the server, which then ends the
   * session. So the refresh runs under a Web Lock (one per extension origin, shared by pages
   * and the service worker, in Chrome and Firefox, and released if its holder dies) and reads
   * the session again inside it: when another context stored newer tokens meanwhile, those are
   * used and nothing is spent. A lock rather than routing refreshes through the background:
   * every context keeps calling the API directly, with no message hop and no waiting for a
   * service worker to wake.
   */
  function refresh(stale: StoredSession): Promise<StoredSession | null> {
    return withSessionLock(async () => {
      const current = await readSession();
      if (!current) return null;
      if (current.accessToken !== stale.accessToken && current.expiresAt - EXPIRY_MARGIN_MS > now()) return current;
      try {
        return await exchangeRefreshToken(current).catch(async (error: unknown) => {
          if (!isUnanswered(error)) throw error;
          // The server may have rotated the token and the answer got lost: send the same token
          // again at once, well inside the server's grace window, which answers it with the same
          // successor. Read again first, as every step under the lock does.
          const again = await readSession();
          return again ? exchangeRefreshToken(again) : null;
        });
      } catch (error) {
        if (!endsSession(error)) throw error;
        await signOutLocally();
        return null;
      }
    });
  }

  async function exchangeRefreshToken(current: StoredSession): Promise<StoredSession> {
    const tokens = await postJson<AuthTokens>(
      '/auth/refresh',
      { refreshToken: current.refreshToken },
      AbortSignal.timeout(REFRESH_TIMEOUT_MS),
    );
    return startSession({ ...tokens, user: current.user });
  }

  async function login(email: string, password: string): Promise<StoredSession> {
    return startSession(await postJson<SignedIn>('/auth/login', { email, password }));
  }

  function notSignedIn(): ApiError {
    return new ApiError(401, 'unauthorized', 'Your session has ended. Please sign in again.');
  }

  /**
   * Calls the API with the bearer token, refreshing once on a 401 and signing out when the server
   * refuses that. The call after a refresh carries the same headers (an `Idempotency-Key` included)
   * with only the token changed.
   */
  async function authed<T>(
    method: string,
    pathAndQuery: string,
    body: unknown,
    { signal, idempotencyKey }: SendOptions = {},
    read?: (response: Response) => Promise<unknown>,
  ): Promise<T> {
    let session = await readSession();
    if (!session) throw notSignedIn();
    if (session.expiresAt - EXPIRY_MARGIN_MS <= now()) session = await refresh(session);
    if (!session) throw notSignedIn();
    await options.ready?.();
    const url = `${options.apiUrl}${pathAndQuery}`;
    const call = (token: string) => {
      const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${token}` };
      // A Blob (a file the listener picked) goes as it is, typed as the Blob says; anything else as JSON.
      if (body instanceof Blob) headers['content-type'] = body.type || 'application/octet-stream';
      else if (body !== undefined) headers['content-type'] = 'application/json';
      if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
      const init: RequestInit = { headers, ...(signal && { signal }) };
      if (method !== 'GET') init.method = method;
      if (body !== undefined) init.body = body instanceof Blob ? body : JSON.stringify(body);
      return request<T>(url, init, read);
    };
    try {
      return await call(session.accessToken);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      const renewed = await refresh(session);
      if (!renewed) throw notSignedIn();
      try {
        return await call(renewed.accessToken);
      } catch (retryError) {
        if (retryError instanceof ApiError && retryError.status === 401) await signOutLocally();
        throw retryError;
      }
    }
  }

  return {
    /** Signs in and stores the session. */
    login,

    /**
     * Creates an account, then signs in with it and stores the session. The server accepts
     * every well-formed registration alike (202, no tokens) so that it never tells whether an
     * email already has an account; a failed sign-in afterwards is how the client learns that
     * this account was not created.
     */
    async register({ name, email, password, inviteCode }: Registration): Promise<StoredSession> {
      await postJson('/auth/register', { email, password, name, ...(inviteCode && { inviteCode }) });
      try {
        return await login(email, password);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          throw new ApiError(401, 'account_not_created', 'Could not create this account. If you already have one, sign in.');
        }
        throw error;
      }
    },

    /** Who may create an account on this server: `open`, `invite` (with an admin's code) or `closed`. */
    async registrationPolicy(): Promise<RegistrationPolicy> {
      return (await getJson<RegistrationInfo>('/auth/registration')).policy;
    },

    /**
     * Refreshes the tokens now when the access token expires within `withinMs`, so long
     * listening sessions never hit an expired token; resolves to the (possibly new) session.
     */
    async refreshSoon(withinMs: number): Promise<StoredSession | null> {
      const session = await readSession();
      if (!session || session.expiresAt - withinMs > now()) return session;
      return refresh(session);
    },

    /** Revokes the refresh token (best effort) and forgets the session. */
    async logout(): Promise<void> {
      // Under the lock, so a refresh finishing in another context cannot store the session again.
      const session = await withSessionLock(async () => {
        const stored = await readSession();
        await clearSession();
        return stored;
      });
      if (session) await postJson('/auth/logout', { refreshToken: session.refreshToken }).catch(() => {});
    },

    /** An authenticated `GET` on the API; `signal` aborts it (rejecting with code `aborted`). */
    get<T>(path: string, query: Query = {}, options: { signal?: AbortSignal } = {}): Promise<T> {
      return authed<T>('GET', `${path}${toSearch(query)}`, undefined, options);
    },

    /** An authenticated `GET` of a file on the API (an export), as a Blob typed as the server sent it. */
    download(path: string, query: Query = {}, options: { signal?: AbortSignal } = {}): Promise<Blob> {
      return authed<Blob>('GET', `${path}${toSearch(query)}`, undefined, options, (response) => response.blob());
    },

    /**
     * An authenticated write on the API (`POST`, `PUT`, `PATCH`, `DELETE`) with an optional body
     * (JSON, or a Blob sent as it is), sent once: whether and how a failed write is sent again is
     * `withRetries`' business.
     */
    send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, options: SendOptions = {}): Promise<T> {
      return authed<T>(method, path, body, options);
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

let shared: ApiClient | undefined;

/**
 * The client for the backend in effect (see `backendUrls()`), shared within one extension
 * context. It reads the URLs on every call, so a change on the options page applies at once.
 */
export function apiClient(): ApiClient {
  shared ??= createApiClient({
    get authUrl() {
      return backendUrls().authUrl;
    },
    get apiUrl() {
      return backendUrls().apiUrl;
    },
    ready: loadBackendUrls,
  });
  return shared;
}

async function toApiError(response: Response): Promise<ApiError> {
  // Any body at all may come back (a proxy's HTML page, nothing): check the shape before trusting it.
  const body = (await response.json().catch(() => null)) as Partial<ErrorBody> | null;
  const error = body?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    const { code, message, field, ...details } = error;
    return new ApiError(response.status, code, message, typeof field === 'string' ? field : undefined, details);
  }
  return new ApiError(response.status, `http_${response.status}`, fallbackMessage(response.status));
}

/** A request that got no answer: the network failed or the timeout aborted it. */
const isUnanswered = (error: unknown) => error instanceof ApiError && error.status === 0;

/**
 * Whether a failed refresh means the session is over: the server refused the token (401) or the
 * request (400). Anything else (unreachable, 5xx while the server restarts, 429) says nothing
 * about the session, which is kept for the next try.
 */
const endsSession = (error: unknown) => error instanceof ApiError && (error.status === 401 || error.status === 400);

function fallbackMessage(status: number): string {
  if (status === 401) return 'Your session has ended. Please sign in again.';
  if (status === 429) return 'Too many attempts. Wait a moment and try again.';
  if (status >= 500) return 'Alktunes is having trouble right now. Try again in a moment.';
  return `The request failed (HTTP ${status}).`;
}

function toSearch(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
