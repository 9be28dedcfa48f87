import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { errorBody, jsonResponse, makeSignedIn } from '@@/test/extension/factories';
import { fakeApi } from '@@/test/extension/popup-fakes';
import { readSession, writeSession } from '@/api/session-storage';
import { useSessionStore } from './session';

describe('session store', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    setActivePinia(createPinia());
  });
  afterEach(() => vi.unstubAllGlobals());

  it('signs in through the auth server and remembers the user', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockResolvedValue(jsonResponse(200, makeSignedIn()));
    vi.stubGlobal('fetch', fetch);
    const session = useSessionStore();

    await expect(session.signIn(' ada@example.com ', 'secret-pass')).resolves.toBe(true);

    expect(fetch.mock.calls[0]![0]).toMatch(/\/auth\/login$/);
    expect(session.user).toEqual({ id: 'usr_1', email: 'ada@example.com', name: 'Ada' });
    expect(session.signedIn).toBe(true);
    expect(session.error).toBeNull();
    expect((await readSession())?.refreshToken).toBe('refresh-1');
  });

  it('signs up, then in, with the trimmed name, email and invite code', async () => {
    const seen = fakeApi({
      'POST /auth/register': () => jsonResponse(202, { status: 'accepted' }),
      'POST /auth/login': makeSignedIn(),
    });
    const session = useSessionStore();

    await expect(
      session.signUp({ name: ' Ada ', email: ' ada@example.com ', password: 'secret-pass', inviteCode: ' K7Q2 ' }),
    ).resolves.toBe(true);

    expect(seen.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      {
        method: 'POST',
        path: '/auth/register',
        body: { name: 'Ada', email: 'ada@example.com', password: 'secret-pass', inviteCode: 'K7Q2' },
      },
      { method: 'POST', path: '/auth/login', body: { email: 'ada@example.com', password: 'secret-pass' } },
    ]);
    expect(session.signedIn).toBe(true);
  });

  it('keeps the server’s words when sign-up is refused', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(jsonResponse(403, errorBody('invalid_invite', 'This invite code is not valid.', 'inviteCode'))),
    );
    const session = useSessionStore();

    await expect(session.signUp({ name: 'Ada', email: 'ada@example.com', password: 'secret-pass', inviteCode: 'nope' })).resolves.toBe(
      false,
    );

    expect(session.signedIn).toBe(false);
    expect(session.error).toBe('This invite code is not valid.');
    expect(session.errorField).toBe('inviteCode');
    expect(session.pending).toBe(false);
  });

  it('learns the registration policy, and leaves it unknown when the server cannot say', async () => {
    fakeApi({ 'GET /auth/registration': { policy: 'closed' } });
    const session = useSessionStore();
    await session.loadRegistrationPolicy();
    expect(session.registrationPolicy).toBe('closed');

    fakeApi({});
    await session.loadRegistrationPolicy();
    expect(session.registrationPolicy).toBeNull();
  });

  it('restores the stored user without a request and follows sign-outs elsewhere', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    await writeSession({ ...makeSignedIn(), expiresAt: Date.now() + 60_000 });
    const session = useSessionStore();

    await session.restore();
    expect(session.ready).toBe(true);
    expect(session.user?.name).toBe('Ada');
    expect(fetch).not.toHaveBeenCalled();

    await fakeBrowser.storage.local.remove('session');
    await vi.waitFor(() => expect(session.signedIn).toBe(false));
  });

  it('keeps a sign-out seen after the snapshot was painted over a read of storage made before it', async () => {
    await writeSession({ ...makeSignedIn(), expiresAt: Date.now() + 60_000 });
    const read = readSession(); // the popup reads storage as it starts…
    const stored = await read;
    const session = useSessionStore();
    session.hydrate({ user: stored!.user }); // …paints its snapshot meanwhile…
    await fakeBrowser.storage.local.remove('session'); // …the listener is signed out elsewhere…
    await vi.waitFor(() => expect(session.signedIn).toBe(false));

    session.hydrate(stored); // …and only then does the popup apply what it read.
    expect(session.signedIn).toBe(false);
  });

  it('signs out locally even when the server cannot be reached', async () => {
    await writeSession({ ...makeSignedIn(), expiresAt: Date.now() + 60_000 });
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('offline')));
    const session = useSessionStore();
    await session.restore();

    await session.signOut();
    expect(session.user).toBeNull();
    expect(await readSession()).toBeNull();
  });
});
