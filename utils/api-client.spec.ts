import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { errorBody, jsonResponse, makeAuthResponse } from '@/test/extension/factories';
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
    const { client, fetch } = setup([jsonResponse(200, makeAuthResponse())]);
    await client.login('ada@example.com', 'secret-pass');

    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://auth.test/auth/login');
    expect(JSON.parse(String(init?.body))).toEqual({ email: 'ada@example.com', password: 'secret-pass' });
    expect(await fakeBrowser.storage.local.get('session')).toMatchObject({
      session: { accessToken: 'access-1', refreshToken: 'refresh-1', user: { name: 'Ada' } },
    });
  });

  it('turns an error body into a typed ApiError', async () => {
    const { client } = setup([jsonResponse(400, errorBody('invalid_input', 'Enter a valid email.', 'email'))]);
    const error = await client.login('nope', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_input', message: 'Enter a valid email.', field: 'email' });
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
});
