import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './api-client';
import { ATTEMPT_TIMEOUT_MS, isRetryable, mayHaveLanded, MAX_ATTEMPTS, withRetries, writeBackoffMs } from './write-retry';

const error = (status: number, code: string, details: Record<string, unknown> = {}) => new ApiError(status, code, code, undefined, details);

describe('write retry policy', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it.each([
    ['a network failure', error(0, 'network_error'), true],
    ['a timed-out try', error(0, 'timeout'), true],
    ['a 502', error(502, 'http_502'), true],
    ['a 503', error(503, 'unavailable'), true],
    ['a 504', error(504, 'http_504'), true],
    ['a 409 the server marks retryable', error(409, 'conflict', { retryable: true }), true],
    ['a stale version (409)', error(409, 'conflict', { currentVersion: 3 }), false],
    ['a request the caller cancelled', error(0, 'aborted'), false],
    ['bad input (400)', error(400, 'invalid_input'), false],
    ['a 401 the client could not refresh past', error(401, 'unauthorized'), false],
    ['a missing playlist (404)', error(404, 'not_found'), false],
    ['a reused Idempotency-Key (422)', error(422, 'idempotency_key_reused'), false],
    ['rate limiting (429)', error(429, 'rate_limited'), false],
    ['a server bug (500)', error(500, 'internal'), false],
    ['something that is no API error', new TypeError('x is undefined'), false],
  ])('retries %s: %s', (_what, cause, retried) => {
    expect(isRetryable(cause)).toBe(retried);
  });

  it.each([
    ['no answer', error(0, 'network_error'), true],
    ['a timed-out try', error(0, 'timeout'), true],
    ['a cancelled try', error(0, 'aborted'), true],
    ['a 503', error(503, 'unavailable'), true],
    ['a server bug (500)', error(500, 'internal'), true],
    ['a 409 the server marks retryable', error(409, 'conflict', { retryable: true }), true],
    ['an add that stopped part way', error(503, 'unavailable', { added: 100, requested: 250 }), true],
    ['something that is no API error', new TypeError('x is undefined'), true],
    ['bad input (400)', error(400, 'invalid_input'), false],
    ['a missing playlist (404)', error(404, 'not_found'), false],
    ['a reused Idempotency-Key (422)', error(422, 'idempotency_key_reused'), false],
    ['rate limiting (429)', error(429, 'rate_limited'), false],
  ])('knows whether a write that failed with %s may have landed: %s', (_what, cause, unknown) => {
    expect(mayHaveLanded(cause)).toBe(unknown);
  });

  it('waits longer after each try, with jitter, under 10 s in all', () => {
    const waits = (random: number) => [1, 2, 3].map((attempt) => writeBackoffMs(attempt, () => random));
    expect(waits(0)).toEqual([250, 500, 1000]);
    expect(waits(1)).toEqual([500, 1000, 2000]);
    expect(waits(1).reduce((a, b) => a + b)).toBeLessThan(10_000);
  });

  it('sends again while the failure passes, then answers', async () => {
    const send = vi
      .fn<(signal: AbortSignal) => Promise<string>>()
      .mockRejectedValueOnce(error(0, 'network_error'))
      .mockRejectedValueOnce(error(409, 'conflict', { retryable: true }))
      .mockResolvedValueOnce('done');
    const onRetry = vi.fn();

    const result = withRetries(send, { onRetry });
    await vi.runAllTimersAsync();

    await expect(result).resolves.toBe('done');
    expect(send).toHaveBeenCalledTimes(3);
    expect(onRetry.mock.calls.map(([attempt]) => attempt)).toEqual([1, 2]);
  });

  it(`gives up after ${MAX_ATTEMPTS} tries with the last error`, async () => {
    const send = vi.fn<(signal: AbortSignal) => Promise<string>>().mockRejectedValue(error(503, 'unavailable'));
    const result = withRetries(send).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await result).toMatchObject({ status: 503 });
    expect(send).toHaveBeenCalledTimes(MAX_ATTEMPTS);
  });

  it('does not send again a write the server refused', async () => {
    const send = vi.fn<(signal: AbortSignal) => Promise<string>>().mockRejectedValue(error(422, 'idempotency_key_reused'));
    await expect(withRetries(send)).rejects.toMatchObject({ status: 422 });
    expect(send).toHaveBeenCalledOnce();
  });

  it('aborts a try that hangs and sends it again', async () => {
    const send = vi.fn((signal: AbortSignal) => {
      if (send.mock.calls.length > 1) return Promise.resolve('done');
      return new Promise<string>((_, reject) => signal.addEventListener('abort', () => reject(error(0, 'timeout'))));
    });
    const result = withRetries(send);
    await vi.advanceTimersByTimeAsync(ATTEMPT_TIMEOUT_MS - 1);
    expect(send).toHaveBeenCalledOnce();
    await vi.runAllTimersAsync();
    await expect(result).resolves.toBe('done');
  });

  it('takes a 404 on a later try of a DELETE as done, but not on the first', async () => {
    const gone = error(404, 'not_found');
    const lostThenGone = vi
      .fn<(signal: AbortSignal) => Promise<void>>()
      .mockRejectedValueOnce(error(0, 'network_error'))
      .mockRejectedValueOnce(gone);
    const deleting = withRetries(lostThenGone, { goneMeansDone: true });
    await vi.runAllTimersAsync();
    await expect(deleting).resolves.toBeUndefined();

    await expect(withRetries(() => Promise.reject(gone), { goneMeansDone: true })).rejects.toBe(gone);
    const moving = withRetries(
      vi.fn<(signal: AbortSignal) => Promise<void>>().mockRejectedValueOnce(error(0, 'network_error')).mockRejectedValueOnce(gone),
    ).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await moving).toBe(gone);
  });
});
