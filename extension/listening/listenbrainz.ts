/**
 * A small client for a ListenBrainz-compatible server: `POST /1/submit-listens` and
 * `GET /1/validate-token` (https://listenbrainz.readthedocs.io/en/latest/users/api/core.html).
 * It knows the API's status codes and rate limit; what to do with a refused or undeliverable
 * batch is the scrobbler's business.
 */

/** Most listens the scrobbler puts in one `import` request (the API takes up to 1000). */
export const MAX_LISTENS_PER_SUBMISSION = 100;

/** One listen as `submit-listens` takes it ("Payload JSON details" in the API docs). */
export interface Listen {
  /** Unix seconds when the listener started the track. */
  listened_at: number;
  track_metadata: {
    artist_name: string;
    track_name: string;
    release_name?: string;
    additional_info: {
      duration_ms?: number;
      tracknumber?: number;
      submission_client: string;
      submission_client_version: string;
      media_player?: string;
    };
  };
}

/** The earliest `listened_at` the API takes (its `LISTEN_MINIMUM_TS`, 2002-10-01): older is a clock gone wrong. */
export const LISTEN_MINIMUM_TS = 1_033_430_400;
/** How far ahead of the server's clock a `listened_at` may lie (its `API_LISTENED_AT_ALLOWED_SKEW`). */
const LISTENED_AT_ALLOWED_SKEW_S = 60 * 60;
/** Most bytes one listen may take (its `MAX_LISTEN_SIZE`). */
const MAX_LISTEN_SIZE = 10_240;

/**
 * Why the API would refuse `listen`, or undefined when it would take it. The API refuses a whole
 * submission for one bad listen, so the scrobbler leaves such a listen out rather than send it.
 */
export function listenProblem(listen: Listen, nowMs: number = Date.now()): string | undefined {
  const { listened_at: at, track_metadata: track } = listen;
  if (!Number.isInteger(at) || at < LISTEN_MINIMUM_TS) return 'it was heard before 2002-10-01 (a clock gone wrong)';
  if (at > nowMs / 1000 + LISTENED_AT_ALLOWED_SKEW_S) return 'it was heard more than an hour from now (a clock gone wrong)';
  if (!track.artist_name.trim() || !track.track_name.trim()) return 'it has no title or artist';
  if (new TextEncoder().encode(JSON.stringify(listen)).length > MAX_LISTEN_SIZE) return `it is larger than ${MAX_LISTEN_SIZE} bytes`;
  return undefined;
}

export type ListenType = 'single' | 'import';

/** How one submission ended, after the client's own retries. */
export type SubmitOutcome =
  | { kind: 'accepted' }
  /** 401: the token is wrong or was revoked; nothing will get through until it is replaced. */
  | { kind: 'unauthorized'; message: string }
  /** Another 4xx: the server will never take this batch as it is. */
  | { kind: 'refused'; status: number; message: string }
  /** 5xx, 429 or no answer, still so after the retries; `retryAfterMs` when the server said when to come back. */
  | { kind: 'unavailable'; message: string; retryAfterMs?: number };

type Unavailable = Extract<SubmitOutcome, { kind: 'unavailable' }>;

export type TokenCheck = { valid: true; userName: string } | { valid: false; message: string };

export interface ListenBrainzClientOptions {
  /** Server base URL without a trailing slash, e.g. `https://api.listenbrainz.org`. */
  baseUrl: string;
  token: string;
  /** Defaults to the global `fetch`, looked up per call. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Waits before each retry of a 5xx or a request that got no answer; one retry per entry. */
  retryDelaysMs?: readonly number[];
  /**
   * A 429 whose `X-RateLimit-Reset-In` is longer than this is not waited for here: the
   * submission ends `unavailable` with `retryAfterMs`, and the scrobbler's alarm comes back then
   * (a service worker may be stopped during a long wait).
   */
  maxRateLimitWaitMs?: number;
  /** A request unanswered this long counts as a network failure. */
  timeoutMs?: number;
}

const DEFAULT_RETRY_DELAYS_MS = [1_000, 4_000, 12_000];
const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 20_000;
const DEFAULT_TIMEOUT_MS = 20_000;
/** Rate-limited answers one submission waits out before it leaves the rest to a later flush. */
const MAX_RATE_LIMIT_WAITS = 3;
/** When a 429 does not say how long to wait. */
const FALLBACK_RATE_LIMIT_WAIT_MS = 10_000;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createListenBrainzClient(options: ListenBrainzClientOptions) {
  const doFetch = (input: string, init: RequestInit) => (options.fetch ?? globalThis.fetch)(input, init);
  const sleep = options.sleep ?? defaultSleep;
  const retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const maxRateLimitWait = options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers = { Authorization: `Token ${options.token}` };

  /** Sends until an answer that is not worth repeating: 5xx and no answer are retried, 429 waited out. */
  async function send(path: string, init: RequestInit): Promise<Response | Unavailable> {
    let failures = 0;
    let rateLimited = 0;
    for (;;) {
      let response: Response | undefined;
      let problem: string;
      try {
        response = await doFetch(`${options.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
        if (response.status !== 429 && response.status < 500) return response;
        problem = `${response.status} ${await errorText(response)}`;
      } catch (error) {
        problem = error instanceof Error && error.name === 'TimeoutError' ? 'no answer in time' : 'the server could not be reached';
      }
      if (response?.status === 429) {
        const waitMs = resetInMs(response) ?? FALLBACK_RATE_LIMIT_WAIT_MS;
        if (++rateLimited > MAX_RATE_LIMIT_WAITS || waitMs > maxRateLimitWait) {
          return { kind: 'unavailable', message: `rate limited (${problem})`, retryAfterMs: waitMs };
        }
        await sleep(waitMs);
        continue;
      }
      const delay = retryDelays[failures++];
      if (delay === undefined) return { kind: 'unavailable', message: problem };
      await sleep(delay);
    }
  }

  return {
    /** Submits listens: `single` takes exactly one, `import` up to `MAX_LISTENS_PER_SUBMISSION` here. */
    async submit(listenType: ListenType, listens: Listen[]): Promise<SubmitOutcome> {
      const body = JSON.stringify({ listen_type: listenType, payload: listens });
      const answer = await send('/1/submit-listens', {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body,
      });
      if (!(answer instanceof Response)) return answer;
      if (answer.status === 200) return { kind: 'accepted' };
      const message = await errorText(answer);
      if (answer.status === 401) return { kind: 'unauthorized', message };
      if (answer.status >= 400) return { kind: 'refused', status: answer.status, message };
      // A redirect or an unexpected 2xx: not a sign the listens were stored, so they are kept.
      return { kind: 'unavailable', message: `unexpected answer ${answer.status}` };
    },

    /** Asks the server whose token this is. Throws when the server cannot say (unreachable, 5xx). */
    async validateToken(): Promise<TokenCheck> {
      const answer = await send('/1/validate-token', { method: 'GET', headers });
      if (!(answer instanceof Response)) throw new Error(`The ListenBrainz server did not answer: ${answer.message}`);
      const body = (await answer.json().catch(() => ({}))) as { valid?: unknown; user_name?: unknown; message?: unknown; error?: unknown };
      if (answer.ok && body.valid === true && typeof body.user_name === 'string') return { valid: true, userName: body.user_name };
      // ListenBrainz answers an unknown token with 200 and `valid: false`; some compatible servers with a 401.
      if ((answer.ok && body.valid === false) || answer.status === 401) {
        return { valid: false, message: 'The server does not know this token.' };
      }
      throw new Error(`The ListenBrainz server answered ${answer.status}${typeof body.error === 'string' ? `: ${body.error}` : ''}`);
    },
  };
}

/** `X-RateLimit-Reset-In`: seconds until the rate limit window resets. */
function resetInMs(response: Response): number | undefined {
  const seconds = Number(response.headers.get('X-RateLimit-Reset-In'));
  return response.headers.has('X-RateLimit-Reset-In') && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** The API's errors are `{code, error}`; anything else is reported by its status alone. */
async function errorText(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as { error?: unknown } | undefined;
  return typeof body?.error === 'string' ? body.error : response.statusText || `HTTP ${response.status}`;
}
