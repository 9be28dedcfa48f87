import { describe, expect, it, vi } from 'vitest';
import type { RevocationLookup, RevocationState } from '../domain/revocations';
import { apiEvent } from '../../test/support/api-events';
import { createAccessCheck } from './access-check';
import type { ApiEvent } from './types';

/** A request as API Gateway hands it on: every claim a string. */
function requestOf(claims: { sub?: string; sid?: string; iat?: number }): ApiEvent {
  const event = apiEvent('GET /playlists');
  event.requestContext.authorizer.jwt.claims = Object.fromEntries(Object.entries(claims).map(([name, value]) => [name, String(value)]));
  return event;
}

/** Revocations the test changes as it goes; counts the lookups. */
function fakeRevocations() {
  const users = new Map<string, number>();
  const sessions = new Set<string>();
  const lookup = vi.fn<RevocationLookup['lookup']>(async (userId, sessionId): Promise<RevocationState> => ({
    userRevokedBefore: users.get(userId),
    sessionEnded: sessionId !== undefined && sessions.has(sessionId),
  }));
  return { users, sessions, lookup, revocations: { lookup } satisfies RevocationLookup };
}

const token = { sub: 'usr_1', sid: 'ses_1', iat: 1_000 };

describe('the API access check', () => {
  it('refuses the tokens of an ended session, and only those', async () => {
    const { sessions, revocations } = fakeRevocations();
    const check = createAccessCheck(revocations, { cacheSeconds: 0 });
    await expect(check(requestOf(token))).resolves.toBeUndefined();
    sessions.add('ses_1');
    await expect(check(requestOf(token))).rejects.toMatchObject({ code: 'unauthorized', message: 'Access token revoked; sign in again' });
    await expect(check(requestOf({ ...token, sid: 'ses_2' }))).resolves.toBeUndefined();
  });

  it('refuses tokens of a revoked user issued up to the revocation, not those issued after it', async () => {
    const { users, revocations } = fakeRevocations();
    const check = createAccessCheck(revocations, { cacheSeconds: 0 });
    users.set('usr_1', 1_000);
    await expect(check(requestOf({ ...token, iat: 999 }))).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(check(requestOf({ ...token, iat: 1_000 }))).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(check(requestOf({ ...token, iat: 1_001 }))).resolves.toBeUndefined();
    await expect(check(requestOf({ sub: 'usr_1', sid: 'ses_1' }))).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(check(requestOf({ ...token, sub: 'usr_2' }))).resolves.toBeUndefined();
  });

  it('refuses a request without a verified user', async () => {
    const { revocations, lookup } = fakeRevocations();
    await expect(createAccessCheck(revocations, { cacheSeconds: 30 })(requestOf({}))).rejects.toMatchObject({ code: 'unauthorized' });
    expect(lookup).not.toHaveBeenCalled();
  });

  it('reuses a lookup within the cache window, so a revocation is seen at most that long after it', async () => {
    let now = 0;
    const { sessions, revocations, lookup } = fakeRevocations();
    const check = createAccessCheck(revocations, { cacheSeconds: 30, now: () => now });
    await check(requestOf(token));
    sessions.add('ses_1');
    now = 29_999;
    await expect(check(requestOf(token))).resolves.toBeUndefined();
    expect(lookup).toHaveBeenCalledTimes(1);
    now = 30_000;
    await expect(check(requestOf(token))).rejects.toMatchObject({ code: 'unauthorized' });
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it('keeps the window within 30 seconds whatever it is given', async () => {
    let now = 0;
    const { sessions, revocations } = fakeRevocations();
    const check = createAccessCheck(revocations, { cacheSeconds: 3600, now: () => now });
    await check(requestOf(token));
    sessions.add('ses_1');
    now = 30_000;
    await expect(check(requestOf(token))).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('shares one lookup between concurrent requests of a session', async () => {
    const { revocations, lookup } = fakeRevocations();
    const check = createAccessCheck(revocations, { cacheSeconds: 30 });
    await Promise.all([check(requestOf(token)), check(requestOf(token)), check(requestOf({ ...token, sid: 'ses_2' }))]);
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it('fails closed when the revocations cannot be read, and asks again on the next request', async () => {
    const { revocations, lookup } = fakeRevocations();
    lookup.mockRejectedValueOnce(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const check = createAccessCheck(revocations, { cacheSeconds: 30 });
    await expect(check(requestOf(token))).rejects.toThrow('ECONNREFUSED');
    await expect(check(requestOf(token))).resolves.toBeUndefined();
    expect(lookup).toHaveBeenCalledTimes(2);
  });
});
