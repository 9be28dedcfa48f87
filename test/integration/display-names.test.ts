import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playlist } from '../../backend/domain/playlists';
import { databaseTargets } from '../../backend/auth/testing/auth-test-server';
import { newAccount, registerAndSignIn } from '../../backend/auth/testing/http-client';
import { apiEvent, bodyOf } from '../support/api-events';
import { startApiStack } from '../support/api-stack';
import { useAuthServer } from '../support/auth-server';

/** Names no one should be able to give a playlist or an account, and why. */
const hostile: [string, string][] = [
  ['a NUL byte', 'Road\u0000trip'],
  ['an escape sequence', 'Road \u001b[31mtrip'],
  ['a C1 control', 'Road\u0085trip'],
  ['a right-to-left override', 'Invoice \u202Egnp.exe'],
  ['a bidi isolate', '\u2067Road trip\u2069'],
  ['zero-width characters only', '\u200B\u200C\u200D\u2060'],
  ['a lone combining mark', '\u0301'],
  ['zero-width and spaces only', ' \u200B \uFEFF '],
];

/** Names people have, kept as typed (after NFC and spacing). */
const welcome: [string, string][] = [
  ['Zoe\u0301   Saldan\u0303a ', 'Zoé Saldaña'],
  ['مريم الأحمد', 'مريم الأحمد'],
  ['יעל כהן', 'יעל כהן'],
  ['李小龍', '李小龍'],
  ['👩\u200d👩\u200d👧 Family mix 🎶', '👩\u200d👩\u200d👧 Family mix 🎶'],
];

describe('display names through the playlists API', () => {
  let stack: Awaited<ReturnType<typeof startApiStack>>;
  beforeAll(async () => {
    stack = await startApiStack();
  });
  afterAll(() => stack?.stop());

  const call = (routeKey: string, options: Parameters<typeof apiEvent>[1] = {}) =>
    stack.functions.playlists(apiEvent(routeKey, { sub: 'names-user', ...options }));

  it('refuses hostile playlist names with a 400 naming the field, on create and rename', async () => {
    const existing = bodyOf<Playlist>(await call('POST /playlists', { body: { name: 'Fine' } }));
    for (const [label, name] of hostile) {
      const created = await call('POST /playlists', { body: { name } });
      expect.soft(created.statusCode, label).toBe(400);
      expect
        .soft(bodyOf(created), label)
        .toMatchObject({ error: { code: 'invalid_input', field: 'name', message: expect.stringMatching(/^name: /) } });
      const renamed = await call('PATCH /playlists/{id}', { pathParameters: { id: existing.id }, body: { name, version: 1 } });
      expect.soft(renamed.statusCode, label).toBe(400);
    }
    const listed = bodyOf<{ items: Playlist[] }>(await call('GET /playlists'));
    expect(listed.items.map((p) => p.name)).toEqual(['Fine']);
  });

  it('stores real-world names normalized and otherwise as typed', async () => {
    for (const [typed, stored] of welcome) {
      const created = await call('POST /playlists', { body: { name: typed } });
      expect(created.statusCode, typed).toBe(201);
      const { id } = bodyOf<Playlist>(created);
      expect(bodyOf<Playlist>(await call('GET /playlists/{id}', { pathParameters: { id } })).name).toBe(stored);
    }
  });
});

describe.each(databaseTargets())('display names through the auth server on $name', (target) => {
  const auth = useAuthServer(target);

  it.runIf(target.enabled)('refuses hostile account names with a 400 naming the field and creates no account', async () => {
    for (const [label, name] of hostile) {
      const account = newAccount({ name });
      const res = await auth.api.post('/auth/register', account);
      expect.soft(res.status, label).toBe(400);
      expect
        .soft(res.body, label)
        .toMatchObject({ error: { code: 'invalid_input', field: 'name', message: expect.stringMatching(/^Name /) } });
      const login = await auth.api.post('/auth/login', { email: account.email, password: account.password });
      expect.soft(login.status, label).toBe(401);
    }
  });

  it.runIf(target.enabled)('keeps accents, scripts and emoji, stored in NFC with spacing collapsed', async () => {
    for (const [typed, stored] of welcome) {
      const session = await registerAndSignIn(auth.api, newAccount({ name: typed }));
      expect(session.user.name, typed).toBe(stored);
      const me = await auth.api.get('/auth/me', session.accessToken);
      expect(me.body.name, typed).toBe(stored);
    }
  });
});
