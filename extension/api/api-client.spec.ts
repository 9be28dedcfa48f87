import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { errorBody, jsonResponse, makeSignedIn } from '@@/test/extension/factories';
import { ApiError, createApiClient } from './api-client';
import { readSession, writeSession } from './session-storage';

const urls = { authUrl: 'https://auth.test', apiUrl: 'https://api.test' };

function setup(responses: Response[], onSignedOut = vi.fn()) {
  const fetch = vi.fn<typeof globalThis.fetch>();
  for (const response of responses) fetch.mockResolvedValueOnce(response);
  return { fetch, onSignedOut, client: createApiClient({ ...urls, fetch, onSignedOut }) };
}

async function signedIn(accessToken = 'old-access') {
  await writeSession({
    accessToken,
    refreshToken: 'old-refresh',
    expiresAt: Date.now() + 600_000,
    user: { id: 'usr_1', email: 'ada@example.com', name: 'Ada' },
  });
}

describe('api client', () => {
  beforeEach(() => fakeBrowser.reset());

  it('signs in and keeps the session in storage.local', async () => {
    const { client, fetch } = setup([jsonResponse(200, makeSignedIn())]);
    await client.login('ada@example.com', 'secret-pass');

    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://auth.test/auth/login');
    expect(JSON.parse(String(init?.body))).toEqual({ email: 'ada@example.com', password: 'secret-pass' });
    expect(await fakeBrowser.storage.local.get('session')).toMatchObject({
      session: { accessToken: 'access-1', refreshToken: 'refresh-1', user: { name: 'Ada' } },
    });
  });

  it('registers, then signs in with the same credentials', async () => {
    const { client, fetch } = setup([jsonResponse(202, { status: 'accepted' }), jsonResponse(200, makeSignedIn())]);
    await client.register({ name: 'Ada', email: 'ada@example.com', password: 'secret-pass' });

    expect(fetch.mock.calls.map(([url, init]) => [url, JSON.parse(String(init?.body))])).toEqual([
      ['https://auth.test/auth/register', { name: 'Ada', email: 'ada@example.com', password: 'secret-pass' }],
      ['https://auth.test/auth/login', { email: 'ada@example.com', password: 'secret-pass' }],
    ]);
    expect(await readSession()).toMatchObject({ refreshToken: 'refresh-1', user: { name: 'Ada' } });
  });

  it('sends an invite code with the registration when there is one', async () => {
    const { client, fetch } = setup([jsonResponse(202, { status: 'accepted' }), jsonResponse(200, makeSignedIn())]);
    await client.register({ name: 'Ada', email: 'ada@example.com', password: 'secret-pass', inviteCode: 'K7Q2-MX4P' });
    expect(JSON.parse(String(fetch.mock.calls[0]![1]?.body))).toMatchObject({ inviteCode: 'K7Q2-MX4P' });
  });

  it('says the account was not created when signing in after registering fails', async () => {
    const { client } = setup([
      jsonResponse(202, { status: 'accepted' }),
      jsonResponse(401, errorBody('invalid_credentials', 'Email or password is incorrect')),
    ]);
    await expect(client.register({ name: 'Ada', email: 'ada@example.com', password: 'secret-pass' })).rejects.toMatchObject({
      code: 'account_not_created',
      message: 'Could not create this account. If you already have one, sign in.',
    });
    expect(await readSession()).toBeNull();
  });

  it('passes on why a registration was refused, without signing in', async () => {
    const { client, fetch } = setup([jsonResponse(403, errorBody('invalid_invite', 'This invite code is not valid.', 'inviteCode'))]);
    await expect(
      client.register({ name: 'Ada', email: 'ada@example.com', password: 'secret-pass', inviteCode: 'nope' }),
    ).rejects.toMatchObject({
      status: 403,
      field: 'inviteCode',
    });
    expect(fetch).toHaveBeenCalledOnce();
  });

  it('reads the registration policy', async () => {
    const { client, fetch } = setup([jsonResponse(200, { policy: 'invite' })]);
    await expect(client.registrationPolicy()).resolves.toBe('invite');
    expect(fetch.mock.calls[0]![0]).toBe('https://auth.test/auth/registration');
  });

  it('turns an error body into a typed ApiError', async () => {
    const { client } = setup([jsonResponse(400, errorBody('invalid_input', 'Enter a valid email.', 'email'))]);
    const error = await client.login('nope', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_input', message: 'Enter a valid email.', field: 'email' });
  });

  it('keeps the other fields of an error body as details', async () => {
    await signedIn();
    const body = { error: { code: 'unavailable', message: 'Try later', added: 40, requested: 100 } };
    const { client } = setup([jsonResponse(503, body)]);
    await expect(client.send('POST', '/playlists/pl_1/entries', { trackIds: ['trk_1'] })).rejects.toMatchObject({
      status: 503,
      code: 'unavailable',
      details: { added: 40, requested: 100 },
    });
  });

  it('sends an Idempotency-Key when given one', async () => {
    await signedIn();
    const { client, fetch } = setup([jsonResponse(201, { id: 'pl_1' })]);
    await client.send('POST', '/playlists', { name: 'Road trip' }, { idempotencyKey: 'key-1' });
    expect((fetch.mock.calls[0]![1]?.headers as Record<string, string>)['idempotency-key']).toBe('key-1');
  });

  it('tells a timed-out request (unanswered, may be sent again) from a cancelled one', async () => {
    await signedIn();
    const fetch = vi.fn<typeof globalThis.fetch>(async (_url, init) => {
      throw init?.signal?.reason ?? new TypeError('Failed to fetch');
    });
    const client = createApiClient({ ...urls, fetch });
    const timedOut = new AbortController();
    timedOut.abort(new DOMException('The write timed out.', 'TimeoutError'));
    const cancelled = new AbortController();
    cancelled.abort();

    await expect(client.send('DELETE', '/playlists/pl_1', undefined, { signal: timedOut.signal })).rejects.toMatchObject({
      status: 0,
      code: 'timeout',
    });
    await expect(client.get('/albums', {}, { signal: cancelled.signal })).rejects.toMatchObject({ status: 0, code: 'aborted' });
  });

  it('reports an unreachable server in words', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockRejectedValue(new TypeError('Failed to fetch'));
    const client = createApiClient({ ...urls, fetch });
    await expect(client.login('a@b.c', 'x')).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('sends the bearer token to the API', async () => {
    await signedIn();
    const { client, fetch } = setup([jsonResponse(200, { items: [] })]);
    await client.get('/albums', { limit: 100, cursor: undefined });

    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://api.test/albums?limit=100');
    expect((init?.headers as Record<string, string>).authorization).toBe('Bearer old-access');
  });

  it('refreshes once on a 401 and retries with the new token', async () => {
    await signedIn();
    const { client, fetch } = setup([
      jsonResponse(401, errorBody('unauthorized', 'Token expired')),
      jsonResponse(200, { accessToken: 'new-access', refreshToken: 'new-refresh', expiresIn: 900 }),
      jsonResponse(200, { items: ['ok'] }),
    ]);

    await expect(client.get('/albums')).resolves.toEqual({ items: ['ok'] });
    expect(fetch.mock.calls[1]![0]).toBe('https://auth.test/auth/refresh');
    expect(JSON.parse(String(fetch.mock.calls[1]![1]?.body))).toEqual({ refreshToken: 'old-refresh' });
    expect((fetch.mock.calls[2]![1]?.headers as Record<string, string>).authorization).toBe('Bearer new-access');
    expect(await readSession()).toMatchObject({ accessToken: 'new-access', refreshToken: 'new-refresh' });
  });

  it('signs out when the refresh is refused', async () => {
    await signedIn();
    const { client, onSignedOut } = setup([
      jsonResponse(401, errorBody('unauthorized', 'Token expired')),
      jsonResponse(401, errorBody('invalid_refresh_token', 'Refresh token reused')),
    ]);

    await expect(client.get('/albums')).rejects.toMatchObject({ status: 401 });
    expect(onSignedOut).toHaveBeenCalledOnce();
    expect(await readSession()).toBeNull();
  });

  it('signs out when the refresh request is malformed (400)', async () => {
    await signedIn();
    const { client, onSignedOut } = setup([jsonResponse(400, errorBody('invalid_input', 'refreshToken is required', 'refreshToken'))]);

    await expect(client.refreshSoon(Infinity)).resolves.toBeNull();
    expect(onSignedOut).toHaveBeenCalledOnce();
    expect(await readSession()).toBeNull();
  });

  it.each([
    [500, 'internal_error'],
    [502, 'http_502'],
    [503, 'http_503'],
    [429, 'rate_limited'],
  ])('keeps the session and passes the error on when the refresh answers %i', async (status, code) => {
    await signedIn();
    const body = code.startsWith('http_') ? '<html>Bad Gateway</html>' : JSON.stringify(errorBody(code, 'Try again later'));
    const { client, onSignedOut } = setup([new Response(body, { status })]);

    await expect(client.refreshSoon(Infinity)).rejects.toMatchObject({ status, code });
    expect(onSignedOut).not.toHaveBeenCalled();
    expect(await readSession()).toMatchObject({ refreshToken: 'old-refresh' });
  });

  it('sends a refresh whose answer was lost once more at once, and keeps the session', async () => {
    await signedIn();
    const fetch = vi.fn<typeof globalThis.fetch>();
    fetch
      .mockResolvedValueOnce(jsonResponse(401, errorBody('unauthorized', 'Token expired')))
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(jsonResponse(200, { accessToken: 'new-access', refreshToken: 'new-refresh', expiresIn: 900 }))
      .mockResolvedValueOnce(jsonResponse(200, { items: ['ok'] }));
    const onSignedOut = vi.fn();
    const client = createApiClient({ ...urls, fetch, onSignedOut });

    await expect(client.get('/albums')).resolves.toEqual({ items: ['ok'] });
    const refreshBodies = fetch.mock.calls
      .filter(([url]) => url === 'https://auth.test/auth/refresh')
      .map(([, init]) => JSON.parse(String(init?.body)));
    // The same token both times: the server answers a repeat within its grace window with the same successor.
    expect(refreshBodies).toEqual([{ refreshToken: 'old-refresh' }, { refreshToken: 'old-refresh' }]);
    expect(onSignedOut).not.toHaveBeenCalled();
    expect(await readSession()).toMatchObject({ accessToken: 'new-access', refreshToken: 'new-refresh' });
  });

  it('keeps the session when the refresh stays unreachable, trying only once more', async () => {
    await signedIn();
    const fetch = vi.fn<typeof globalThis.fetch>().mockRejectedValue(new TypeError('Failed to fetch'));
    const onSignedOut = vi.fn();
    const client = createApiClient({ ...urls, fetch, onSignedOut });

    await expect(client.refreshSoon(Infinity)).rejects.toMatchObject({ status: 0, code: 'network_error' });
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(onSignedOut).not.toHaveBeenCalled();
    expect(await readSession()).toMatchObject({ refreshToken: 'old-refresh' });
  });

  it('uses tokens another context already rotated instead of spending the old refresh token', async () => {
    await signedIn();
    const fetch = vi.fn<typeof globalThis.fetch>(async (_url, init) => {
      const auth = (init?.headers as Record<string, string>).authorization;
      if (auth === 'Bearer old-access') {
        await signedIn('rotated-elsewhere'); // the popup refreshed meanwhile
        return jsonResponse(401, errorBody('unauthorized', 'Token expired'));
      }
      return jsonResponse(200, { auth });
    });
    const client = createApiClient({ ...urls, fetch });

    await expect(client.get('/albums')).resolves.toEqual({ auth: 'Bearer rotated-elsewhere' });
    expect(fetch.mock.calls.map(([url]) => url)).not.toContain('https://auth.test/auth/refresh');
  });

  it('keeps a sign-out when a refresh in another context finishes after it', async () => {
    await signedIn();
    let answerRefresh!: () => void;
    const refreshAnswered = new Promise<void>((resolve) => (answerRefresh = resolve));
    const backgroundFetch = vi.fn<typeof globalThis.fetch>(async () => {
      await refreshAnswered;
      return jsonResponse(200, { accessToken: 'new-access', refreshToken: 'new-refresh', expiresIn: 900 });
    });
    const background = createApiClient({ ...urls, fetch: backgroundFetch });
    const popup = createApiClient({ ...urls, fetch: vi.fn<typeof globalThis.fetch>(async () => new Response(null, { status: 204 })) });

    const refreshing = background.refreshSoon(Infinity);
    await vi.waitFor(() => expect(backgroundFetch).toHaveBeenCalled());
    const signingOut = popup.logout();
    answerRefresh();
    await Promise.all([refreshing, signingOut]);

    expect(await readSession()).toBeNull();
  });
});
