import { describe, expect, it, vi } from 'vitest';
import { jsonResponse } from '@@/test/extension/factories';
import { createListenBrainzClient, type Listen } from './listenbrainz';

const listen: Listen = {
  listened_at: 1_700_000_000,
  track_metadata: { artist_name: 'A', track_name: 'T', additional_info: { submission_client: 'Alktunes', submission_client_version: '1' } },
};

function client(...answers: (Response | Error)[]) {
  const fetch = vi.fn(async (_url: string, _init?: RequestInit) => {
    const answer = answers.shift() ?? jsonResponse(200, { status: 'ok' });
    if (answer instanceof Error) throw answer;
    return answer;
  });
  const sleep = vi.fn(async (_ms: number) => undefined);
  const lb = createListenBrainzClient({
    baseUrl: 'https://lb.example/prefix',
    token: 'tok',
    fetch: fetch as never,
    sleep,
    retryDelaysMs: [10, 20],
    maxRateLimitWaitMs: 5_000,
  });
  return { lb, fetch, sleep };
}

const rateLimited = (seconds: string) => {
  const response = jsonResponse(429, { code: 429, error: 'slow down' });
  response.headers.set('X-RateLimit-Reset-In', seconds);
  return response;
};

describe('the ListenBrainz client', () => {
  it('posts the listens under the base URL with the token header', async () => {
    const { lb, fetch } = client();
    expect(await lb.submit('single', [listen])).toEqual({ kind: 'accepted' });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://lb.example/prefix/1/submit-listens');
    expect(init?.method).toBe('POST');
    expect(init?.headers).toMatchObject({ Authorization: 'Token tok', 'Content-Type': 'application/json' });
    expect(JSON.parse(String(init?.body))).toEqual({ listen_type: 'single', payload: [listen] });
  });

  it('retries 5xx and unanswered requests with the configured waits, then gives up', async () => {
    const { lb, fetch, sleep } = client(
      jsonResponse(503, {}),
      new TypeError('fetch failed'),
      jsonResponse(500, { code: 500, error: 'boom' }),
    );
    expect(await lb.submit('import', [listen, listen])).toEqual({ kind: 'unavailable', message: '500 boom' });
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([10, 20]);
  });

  it('waits out a 429 as long as X-RateLimit-Reset-In says, then sends again', async () => {
    const { lb, sleep } = client(rateLimited('2'));
    expect(await lb.submit('single', [listen])).toEqual({ kind: 'accepted' });
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([2_000]);
  });

  it('leaves a long rate limit to the caller, with the time to come back', async () => {
    const { lb, fetch, sleep } = client(rateLimited('90'));
    expect(await lb.submit('single', [listen])).toMatchObject({ kind: 'unavailable', retryAfterMs: 90_000 });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('reports a 401 and other 4xx at once, with the server message', async () => {
    const unauthorized = client(jsonResponse(401, { code: 401, error: 'Invalid authorization token.' }));
    expect(await unauthorized.lb.submit('single', [listen])).toEqual({ kind: 'unauthorized', message: 'Invalid authorization token.' });
    const refused = client(jsonResponse(400, { code: 400, error: 'JSON document does not contain any listens' }));
    expect(await refused.lb.submit('import', [listen])).toEqual({
      kind: 'refused',
      status: 400,
      message: 'JSON document does not contain any listens',
    });
    expect(refused.fetch).toHaveBeenCalledTimes(1);
  });

  it('tells whose token it is, or that the server does not know it (200 or 401 alike)', async () => {
    const valid = client(jsonResponse(200, { code: 200, message: 'Token valid.', valid: true, user_name: 'ada' }));
    expect(await valid.lb.validateToken()).toEqual({ valid: true, userName: 'ada' });
    expect(valid.fetch.mock.calls[0]![0]).toBe('https://lb.example/prefix/1/validate-token');
    expect(valid.fetch.mock.calls[0]![1]?.headers).toEqual({ Authorization: 'Token tok' });

    const unknown = client(jsonResponse(200, { code: 200, message: 'Token invalid.', valid: false }));
    expect(await unknown.lb.validateToken()).toMatchObject({ valid: false });
    const refused = client(jsonResponse(401, { code: 401, error: 'Invalid authorization token.' }));
    expect(await refused.lb.validateToken()).toMatchObject({ valid: false });
  });

  it('throws when the server cannot say whether the token is good', async () => {
    const down = client(jsonResponse(502, {}), jsonResponse(502, {}), jsonResponse(502, {}));
    await expect(down.lb.validateToken()).rejects.toThrow(/did not answer/);
  });
});
