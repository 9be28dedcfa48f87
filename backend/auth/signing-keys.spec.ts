import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateKeys, newKeysFile, openKeyStore, rotateKeys, storedKeysIn } from './signing-keys';

describe('signing keys', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alktunes-keys-'));
    file = join(dir, 'nested', 'keys.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('creates one owner-only key file on first use and reuses it after', async () => {
    const [first] = await loadOrCreateKeys(file);
    expect(first).toMatchObject({ alg: 'RS256', kid: expect.stringMatching(/^[\w-]{43}$/) });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateKeys(file)).toEqual([first]);
  });

  it('agrees on one key when two processes start at once', async () => {
    const [a, b] = await Promise.all([loadOrCreateKeys(file), loadOrCreateKeys(file)]);
    expect(a).toEqual(b);
  });

  it('rotates: the newest key signs, older ones stay published until retired', async () => {
    const store = await openKeyStore(file, { reloadIntervalMs: 0 });
    const old = await store.signingKey();
    const oldToken = await new SignJWT({}).setProtectedHeader({ alg: old.alg, kid: old.kid }).setSubject('u').sign(old.key);

    await rotateKeys(file, { now: new Date(Date.now() + 1000) });
    const current = await store.signingKey();
    expect(current.kid).not.toBe(old.kid);
    const published = await store.publicJwks();
    expect(published.map((key) => key.kid)).toEqual([old.kid, current.kid]);
    for (const key of published) expect(key).not.toHaveProperty('d');
    await expect(jwtVerify(oldToken, createLocalJWKSet({ keys: published }))).resolves.toBeTruthy();

    // Long after the next rotation, the first key can no longer have live tokens and is dropped.
    await rotateKeys(file, { now: new Date(Date.now() + 3 * 60 * 60 * 1000), retainSeconds: 3600 });
    const kids = (await store.publicJwks()).map((key) => key.kid);
    expect(kids).not.toContain(old.kid);
    expect(kids).toHaveLength(2);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8')).keys).toHaveLength(2);
  });

  it('writes a new keys file, as a deployment stores it, that a server signs with', async () => {
    const text = await newKeysFile();
    const [key, ...others] = storedKeysIn(text, 'the new file');
    expect(others).toEqual([]);
    expect(key).toMatchObject({ alg: 'RS256', privateJwk: { kty: 'RSA', d: expect.any(String) } });
    expect(Buffer.from(key!.privateJwk.n!, 'base64url').length * 8).toBe(2048);
    await mkdir(join(dir, 'nested'));
    await writeFile(file, text, { mode: 0o600 });
    expect((await (await openKeyStore(file)).signingKey()).kid).toBe(key!.kid);
  });

  it('reads no keys from an empty key set, and refuses text that is not a keys file', () => {
    // How the keys secret starts, with the random member Secrets Manager's generator adds.
    expect(storedKeysIn('{"keys":[],"bootstrap":"q1w2e3"}', 'the secret')).toEqual([]);
    expect(() => storedKeysIn('', 'the secret')).toThrow('Keys file the secret is not JSON');
    expect(() => storedKeysIn('{"key":[]}', 'the secret')).toThrow('Keys file the secret has no keys list');
    expect(() => storedKeysIn('{"keys":[{"kid":"k1"}]}', 'the secret')).toThrow('Keys file the secret has an invalid key');
  });

  it('supports ES256 and EdDSA keys where RSA is not required', async () => {
    for (const alg of ['ES256', 'EdDSA'] as const) {
      const keys = await rotateKeys(join(dir, `${alg}.json`), { alg });
      expect(keys.at(-1)?.alg).toBe(alg);
    }
  });
});
