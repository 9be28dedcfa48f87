import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stub of a ListenBrainz server's `POST /1/submit-listens` and `GET /1/validate-token`, as
 * ListenBrainz answers them (listenbrainz-server, `webserver/views/api.py` and `api_tools.py`):
 * - the token comes in `Authorization: Token <token>`; submit-listens answers a missing or
 *   unknown one with 401 `{code, error}`; validate-token answers an unknown one with 200
 *   `{valid: false}` and a missing one with 400;
 * - a submission must be a JSON object with `listen_type` `single`, `import` or `playing_now`
 *   and a non-empty `payload` list, one listen only for `single` and `playing_now`, at most
 *   1000 for `import`; a listen of `single`/`import` needs an integer `listened_at` (not before
 *   2002-10-01, not more than an hour ahead) and no top-level keys besides it and
 *   `track_metadata`, whose `artist_name` and `track_name` must be non-blank strings; no string
 *   may hold a NUL. Anything else: 400 `{code: 400, error}`, and nothing of the request is kept;
 * - it keeps a listen once per (user, `listened_at`, `track_name`), as ListenBrainz's listen
 *   store does, so a batch sent again after a lost answer is not counted twice. `received` keeps
 *   every listen of every accepted request, repeats included, to see what a client sent.
 *
 * Faults are asked for with `failNext`: a 5xx, a 429 with `X-RateLimit-Reset-In`, or a
 * connection closed once the request's body was read (before or after the listens were kept).
 */
export interface ListenBrainzStub {
  url: string;
  /** Listens kept, in the order they arrived, each once (see above). */
  listens: StubListen[];
  /** Every accepted request: its `listen_type` and listens, repeats included. */
  received: { listenType: string; listens: StubListen[] }[];
  /** Every request as it arrived, faults included: method, path and HTTP status (0 for a dropped connection). */
  requests: { method: string; path: string; status: number }[];
  /** The next `count` requests (after the next `after`, which are answered as usual) meet `fault` instead of the API. */
  failNext(count: number, fault: StubFault, options?: { after?: number }): void;
  /** Tokens the stub knows, each with its user name; `token` → `user` at the start. */
  tokens: Map<string, string>;
  close(): Promise<void>;
}

export type StubFault =
  | { status: 500 | 502 | 503 }
  | { status: 429; resetInSeconds: number }
  /** Reads the body, then closes the connection without an answer; `'after-storing'` keeps the listens first. */
  | { drop: 'before-storing' | 'after-storing' };

export interface StubListen {
  user: string;
  listened_at: number;
  track_metadata: { artist_name: string; track_name: string; release_name?: string; additional_info?: Record<string, unknown> };
}

/** ListenBrainz refuses listens older than its first import format (LISTEN_MINIMUM_TS, 2002-10-01). */
const LISTEN_MINIMUM_TS = 1_033_430_400;
/** It allows a client's clock to run an hour ahead (API_LISTENED_AT_ALLOWED_SKEW). */
const ALLOWED_SKEW_SECONDS = 3600;
const MAX_LISTENS_PER_REQUEST = 1000;
/** Per listen: ListenBrainz refuses a request larger than this times the number of listens. */
const MAX_LISTEN_SIZE = 10_240;

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startListenBrainzStub(options: { token?: string; user?: string } = {}): Promise<ListenBrainzStub> {
  const tokens = new Map([[options.token ?? 'token-1', options.user ?? 'listener']]);
  const listens: StubListen[] = [];
  const received: ListenBrainzStub['received'] = [];
  const requests: ListenBrainzStub['requests'] = [];
  const seen = new Set<string>();
  /** What meets each coming request: a fault, or null for the API itself. */
  const faults: (StubFault | null)[] = [];

  const userOf = (req: IncomingMessage): string | undefined => {
    const [scheme, token] = (req.headers.authorization ?? '').split(' ');
    return scheme?.toLowerCase() === 'token' && token ? tokens.get(token) : undefined;
  };

  function keep(user: string, listenType: string, payload: StubListen[]): void {
    const kept = payload.map((listen) => ({ ...listen, user }));
    received.push({ listenType, listens: kept });
    if (listenType === 'playing_now') return;
    for (const listen of kept) {
      const key = JSON.stringify([user, listen.listened_at, listen.track_metadata.track_name]);
      if (seen.has(key)) continue;
      seen.add(key);
      listens.push(listen);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const path = new URL(req.url ?? '/', 'http://stub').pathname;
    const body = await readBody(req);
    const fault = faults.shift();
    if (fault && 'drop' in fault) {
      if (fault.drop === 'after-storing' && path === '/1/submit-listens') {
        const user = userOf(req);
        const submission = user && parseSubmission(body);
        if (user && submission) keep(user, submission.listenType, submission.payload);
      }
      req.socket.destroy();
      return 0;
    }
    if (fault) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.status === 429) {
        Object.assign(headers, {
          'x-ratelimit-limit': '30',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-in': String(fault.resetInSeconds),
        });
      }
      const error = fault.status === 429 ? 'Too many requests. Please wait and try again.' : 'Something went wrong. Please try again.';
      return send(res, fault.status, { code: fault.status, error }, headers);
    }

    if (path === '/1/validate-token' && req.method === 'GET') {
      const header = req.headers.authorization ?? '';
      const query = new URL(req.url ?? '/', 'http://stub').searchParams.get('token');
      if (!header.toLowerCase().startsWith('token ') && !query) {
        return send(res, 400, { code: 400, error: 'You need to provide an Authorization token.' });
      }
      const user = header ? userOf(req) : tokens.get(query ?? '');
      return user
        ? send(res, 200, { code: 200, message: 'Token valid.', valid: true, user_name: user })
        : send(res, 200, { code: 200, message: 'Token invalid.', valid: false });
    }
    if (path === '/1/submit-listens' && req.method === 'POST') {
      if (!req.headers.authorization) return send(res, 401, { code: 401, error: 'You need to provide an Authorization header.' });
      const user = userOf(req);
      if (!user) return send(res, 401, { code: 401, error: 'Invalid authorization token.' });
      try {
        const submission = validateSubmission(body);
        keep(user, submission.listenType, submission.payload);
        return send(res, 200, { status: 'ok' });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        return send(res, error.status, { code: error.status, error: error.message });
      }
    }
    return send(res, 404, { code: 404, error: 'The requested URL was not found on the server.' });
  }

  const server = createServer((req, res) => {
    const entry = { method: req.method ?? '', path: new URL(req.url ?? '/', 'http://stub').pathname, status: 0 };
    requests.push(entry);
    handle(req, res).then(
      (status) => (entry.status = status),
      () => {
        entry.status = 500;
        if (!res.headersSent) send(res, 500, { code: 500, error: 'Something went wrong. Please try again.' });
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    listens,
    received,
    requests,
    tokens,
    failNext(count, fault, { after = 0 } = {}) {
      faults.push(...Array<null>(after).fill(null), ...Array<StubFault>(count).fill(fault));
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): number {
  res.writeHead(status, headers).end(JSON.stringify(body));
  return status;
}

/** The submission if it is valid, for a fault that keeps listens without answering. */
function parseSubmission(body: string): { listenType: string; payload: StubListen[] } | undefined {
  try {
    return validateSubmission(body);
  } catch {
    return undefined;
  }
}

function validateSubmission(raw: string): { listenType: string; payload: StubListen[] } {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    throw new ApiError(400, `Cannot parse JSON document: ${(error as Error).message}`);
  }
  if (!isObject(data) || !('payload' in data) || !('listen_type' in data)) throw new ApiError(400, 'Invalid JSON document submitted.');
  const { payload, listen_type: listenType } = data;
  if (!Array.isArray(payload) || payload.length === 0) throw new ApiError(400, 'JSON document does not contain any listens');
  if (Buffer.byteLength(raw) > payload.length * MAX_LISTEN_SIZE) {
    throw new ApiError(400, `JSON document is too large. In aggregate, listens may not be larger than ${MAX_LISTEN_SIZE} characters.`);
  }
  if (listenType !== 'single' && listenType !== 'import' && listenType !== 'playing_now') {
    throw new ApiError(400, 'JSON document requires a valid listen_type key.');
  }
  if (listenType !== 'import' && payload.length > 1) {
    throw new ApiError(400, 'JSON document contains more than listen for a single/playing_now. It should contain only one.');
  }
  if (payload.length > MAX_LISTENS_PER_REQUEST) {
    throw new ApiError(400, `Too many listens. You may not submit more than ${MAX_LISTENS_PER_REQUEST} listens at once.`);
  }
  for (const listen of payload) validateListen(listen, listenType);
  return { listenType, payload: payload as StubListen[] };
}

function validateListen(listen: unknown, listenType: string): void {
  if (!isObject(listen)) throw new ApiError(400, 'Listen is empty and cannot be validated.');
  if (listenType === 'playing_now') {
    if ('listened_at' in listen) throw new ApiError(400, 'JSON document must not contain listened_at while submitting playing_now.');
  } else {
    if (!('listened_at' in listen)) throw new ApiError(400, 'JSON document must contain the key listened_at at the top level.');
    if (!Number.isInteger(listen.listened_at)) throw new ApiError(400, 'JSON document must contain an int value for listened_at.');
    const listenedAt = listen.listened_at as number;
    if (Object.keys(listen).some((key) => key !== 'listened_at' && key !== 'track_metadata')) {
      throw new ApiError(400, 'JSON document may only contain listened_at and track_metadata top level keys');
    }
    if (listenedAt < LISTEN_MINIMUM_TS) throw new ApiError(400, 'Value for key listened_at is too low.');
    if (listenedAt > Date.now() / 1000 + ALLOWED_SKEW_SECONDS) throw new ApiError(400, 'Value for key listened_at is too high.');
  }
  const metadata = listen.track_metadata;
  if (!isObject(metadata)) throw new ApiError(400, 'JSON document does not contain required track_metadata.');
  for (const field of ['track_name', 'artist_name'] as const) {
    if (!(field in metadata)) throw new ApiError(400, `JSON document does not contain required track_metadata.${field}.`);
    const value = metadata[field];
    if (typeof value !== 'string') throw new ApiError(400, `track_metadata.${field} must be a single string.`);
    if (value.trim() === '') throw new ApiError(400, `required field track_metadata.${field} is empty.`);
  }
  if ('additional_info' in metadata && !isObject(metadata.additional_info)) {
    throw new ApiError(400, 'track_metadata.additional_info must be an object.');
  }
  if (JSON.stringify(listen).includes('\\u0000')) throw new ApiError(400, 'Listen contains a unicode null');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
