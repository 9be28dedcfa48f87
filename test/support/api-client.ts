import { randomBytes } from 'node:crypto';
import { MAX_ENTRIES_PER_ADD } from '../../backend/domain/playlists';

/** A response read to the end: status, headers and the JSON body (undefined when empty). */
export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}

/** An entry as `GET /playlists/{id}/entries` presents it. */
export interface EntryView {
  id: string;
  trackId: string;
  track: { id: string; title: string; coverUrl?: string } | null;
}

/** A signed-up account and its access token. */
export interface Account {
  userId: string;
  email: string;
  password: string;
  accessToken: string;
}

/** Plain HTTP client for the local API (or the auth server): JSON in, JSON out, no retries. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly accessToken?: string,
  ) {}

  /** The same client acting as someone else (or, with no token, as nobody). */
  as(accessToken: string | undefined): ApiClient {
    return new ApiClient(this.baseUrl, accessToken);
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: {
        ...(this.accessToken ? { authorization: `Bearer ${this.accessToken}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
  }

  get = <T = unknown>(path: string) => this.request<T>('GET', path);
  post = <T = unknown>(path: string, body: unknown) => this.request<T>('POST', path, body);
  patch = <T = unknown>(path: string, body: unknown) => this.request<T>('PATCH', path, body);
  delete = <T = unknown>(path: string) => this.request<T>('DELETE', path);
}

/** Fails with the response in the message, so a broken fixture says what the server answered. */
export function expectStatus<T>(response: ApiResponse<T>, status: number, what: string): T {
  if (response.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

/**
 * Registers a new account on the auth server and signs in with it, as clients do: registration
 * answers 202 without tokens (it never says whether the email was new). Two password hashes.
 */
export async function signUp(authUrl: string, label: string): Promise<Account & { refreshToken: string }> {
  const email = `${label}-${randomBytes(4).toString('hex')}@alktunes.test`;
  const password = `pw-${randomBytes(12).toString('base64url')}`;
  const auth = new ApiClient(authUrl);
  expectStatus(await auth.post('/auth/register', { email, password, name: label }), 202, `register ${label}`);
  const login = await auth.post<{ accessToken: string; refreshToken: string; user: { id: string } }>('/auth/login', { email, password });
  const body = expectStatus(login, 200, `sign in as ${label}`);
  return { userId: body.user.id, email, password, accessToken: body.accessToken, refreshToken: body.refreshToken };
}

/** Every track id of the catalog, album by album (the demo catalog has 32). */
export async function catalogTrackIds(api: ApiClient): Promise<string[]> {
  const albums = expectStatus(await api.get<Page<{ id: string }>>('/albums?limit=200'), 200, 'list albums');
  const ids: string[] = [];
  for (const album of albums.items) {
    const detail = expectStatus(await api.get<{ tracks: { id: string }[] }>(`/albums/${album.id}`), 200, 'get album');
    ids.push(...detail.tracks.map((t) => t.id));
  }
  return ids;
}

/** Reads a whole playlist page by page, following the cursor. */
export async function allEntries(api: ApiClient, playlistId: string, limit = 200): Promise<EntryView[]> {
  const entries: EntryView[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
    const page = expectStatus(await api.get<Page<EntryView>>(`/playlists/${playlistId}/entries?${query}`), 200, 'list entries');
    entries.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return entries;
}

/** Appends `trackIds` in calls of at most `perCall` ids (the API's cap per add); returns the new entry ids in order. */
export async function appendEntries(
  api: ApiClient,
  playlistId: string,
  trackIds: readonly string[],
  perCall = MAX_ENTRIES_PER_ADD,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < trackIds.length; i += perCall) {
    const response = await api.post<Page<EntryView>>(`/playlists/${playlistId}/entries`, { trackIds: trackIds.slice(i, i + perCall) });
    ids.push(...expectStatus(response, 201, 'add entries').items.map((e) => e.id));
  }
  return ids;
}
