import { backendUrls, loadBackendUrls } from './config';
import { clearSession, readSession, writeSession, type StoredSession, type User } from './session-storage';

/** Any failed call: an HTTP error body (`{error:{code,message,field?}}`) or a network failure. */
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
  ) {
    super(message);
  }
}

/** What `POST /auth/login` and `/auth/register` return. */
export interface AuthResponse {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: User;
}

export interface ApiClientOptions {
  authUrl: string;
  apiUrl: string;
  /** Defaults to the global `fetch`, looked up per call so tests can stub it. */
  fetch?: typeof fetch;
  /** Called after a failed refresh has cleared the session. */
  onSignedOut?: () => void;
  /** Clock for token expiry; defaults to `Date.now`. */
  now?: () => number;
  /** Resolves once the URLs above are known (they may be read from storage); awaited before each call. */
  ready?: () => Promise<unknown>;
}

export type Query = Record<string, string | number | undefined>;

/** Refresh a little early so a token does not expire in flight. */
const EXPIRY_MARGIN_MS = 10_000;

/**
 * The one HTTP client for the auth server and the API. It adds the bearer token, turns
 * error bodies into `ApiError`, refreshes once on a 401 and signs out when that fails.
 */
export function createApiClient(options: ApiClientOptions) {
  const now = options.now ?? Date.now;
  const doFetch = (input: string, init?: RequestInit) => (options.fetch ?? globalThis.fetch)(input, init);
  let refreshing: Promise<StoredSession | null> | undefined;

  async function request<T>(url: string, init: RequestInit): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(url, init);
    } catch {
      if (init.signal?.aborted) throw new ApiError(0, 'aborted', 'The request was cancelled.');
      throw new ApiError(0, 'network_error', "Can't reach Alktunes. Check your connection and try again.");
    }
    if (!response.ok) throw await toApiError(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /** POSTs JSON to the auth server at `path`. */
  async function postJson<T>(path: string, body: unknown, token?: string): Promise<T> {
    await options.ready?.();
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    return request<T>(`${options.authUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  }

  async function startSession(auth: AuthResponse): Promise<StoredSession> {
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
   * Trades the refresh token for new tokens, once per context at a time. If another context
   * already rotated the tokens (the stored access token changed), uses those instead of
   * spending the old refresh token, which the server would treat as reuse.
   */
  function refresh(stale: StoredSession): Promise<StoredSession | null> {
    refreshing ??= (async () => {
      const current = await readSession();
      if (!current) return null;
      if (current.accessToken !== stale.accessToken && current.expiresAt - EXPIRY_MARGIN_MS > now()) return current;
      try {
        const tokens = await postJson<Omit<AuthResponse, 'user'>>('/auth/refresh', {
          refreshToken: current.refreshToken,
        });
        return await startSession({ ...tokens, user: current.user });
      } catch (error) {
        if (error instanceof ApiError && error.status === 0) throw error;
        await signOutLocally();
        return null;
      }
    })().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  function notSignedIn(): ApiError {
    return new ApiError(401, 'unauthorized', 'Your session has ended. Please sign in again.');
  }

  /** Calls the API with the bearer token, refreshing once on a 401 and signing out when that fails. */
  async function authed<T>(method: string, pathAndQuery: string, body: unknown, signal?: AbortSignal): Promise<T> {
    let session = await readSession();
    if (!session) throw notSignedIn();
    if (session.expiresAt - EXPIRY_MARGIN_MS <= now()) session = await refresh(session);
    if (!session) throw notSignedIn();
    await options.ready?.();
    const url = `${options.apiUrl}${pathAndQuery}`;
    const call = (token: string) => {
      const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${token}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const init: RequestInit = { headers, ...(signal && { signal }) };
      if (method !== 'GET') init.method = method;
      if (body !== undefined) init.body = JSON.stringify(body);
      return request<T>(url, init);
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
    async login(email: string, password: string): Promise<StoredSession> {
      return startSession(await postJson<AuthResponse>('/auth/login', { email, password }));
    },

    /** Creates an account, signs in and stores the session. */
    async register(name: string, email: string, password: string): Promise<StoredSession> {
      return startSession(await postJson<AuthResponse>('/auth/register', { email, password, name }));
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
      const session = await readSession();
      await clearSession();
      if (session) await postJson('/auth/logout', { refreshToken: session.refreshToken }).catch(() => {});
    },

    /** An authenticated `GET` on the API; `signal` aborts it (rejecting with code `aborted`). */
    get<T>(path: string, query: Query = {}, options: { signal?: AbortSignal } = {}): Promise<T> {
      return authed<T>('GET', `${path}${toSearch(query)}`, undefined, options.signal);
    },

    /** An authenticated write on the API (`POST`, `PATCH`, `DELETE`) with an optional JSON body. */
    send<T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
      return authed<T>(method, path, body);
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
  const body = (await response.json().catch(() => null)) as { error?: { code?: unknown; message?: unknown; field?: unknown } } | null;
  const error = body?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return new ApiError(response.status, error.code, error.message, typeof error.field === 'string' ? error.field : undefined);
  }
  return new ApiError(response.status, `http_${response.status}`, fallbackMessage(response.status));
}

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
