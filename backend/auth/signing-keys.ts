import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

/**
 * RS256 by default: API Gateway HTTP API JWT authorizers only accept RSA signatures.
 * ES256 and EdDSA keys are understood so the file can move to them where that limit doesn't apply.
 */
export type SigningAlgorithm = 'RS256' | 'ES256' | 'EdDSA';
export const DEFAULT_SIGNING_ALGORITHM: SigningAlgorithm = 'RS256';

/** One entry of the keys file. The private JWK never leaves this process or that file. */
export interface StoredKey {
  kid: string;
  alg: SigningAlgorithm;
  /** ISO time the key was created; the newest key signs. */
  createdAt: string;
  privateJwk: JWK;
}

interface KeysFile {
  keys: StoredKey[];
}

/** Public JWK as published in the JWKS. */
export type PublicJwk = JWK & { kid: string; alg: string; use: 'sig' };

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

export function toPublicJwk(key: StoredKey): PublicJwk {
  const jwk: JWK = { ...key.privateJwk };
  for (const member of PRIVATE_MEMBERS) delete jwk[member];
  delete jwk.key_ops;
  delete jwk.ext;
  return { ...jwk, kid: key.kid, alg: key.alg, use: 'sig' };
}

async function createKey(alg: SigningAlgorithm, now: Date): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  const privateJwk = await exportJWK(privateKey);
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicPart } = privateJwk;
  const kid = await calculateJwkThumbprint(publicPart);
  return { kid, alg, createdAt: now.toISOString(), privateJwk };
}

function parseKeysFile(text: string, file: string): KeysFile {
  const keys = storedKeysIn(text, file);
  if (keys.length === 0) throw new Error(`Keys file ${file} holds no keys`);
  return { keys };
}

/**
 * The keys in the text of a keys file, oldest first; none for an empty key set (`{"keys":[]}`,
 * how the deployment's keys secret starts). Throws on text that is not a keys file.
 */
export function storedKeysIn(text: string, source: string): StoredKey[] {
  let parsed: Partial<KeysFile>;
  try {
    parsed = JSON.parse(text) as Partial<KeysFile>;
  } catch {
    throw new Error(`Keys file ${source} is not JSON`);
  }
  if (!Array.isArray(parsed?.keys)) throw new Error(`Keys file ${source} has no keys list`);
  for (const key of parsed.keys) {
    if (!key?.kid || !key.alg || !key.createdAt || !key.privateJwk) throw new Error(`Keys file ${source} has an invalid key`);
  }
  return [...parsed.keys].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

const keysFileText = (contents: KeysFile) => `${JSON.stringify(contents, null, 2)}\n`;

/** The text of a keys file holding one new key: what a deployment stores before its first server starts. */
export async function newKeysFile(alg: SigningAlgorithm = DEFAULT_SIGNING_ALGORITHM): Promise<string> {
  return keysFileText({ keys: [await createKey(alg, new Date())] });
}

/** Replaces the file atomically with owner-only permissions. */
async function writeKeysFile(file: string, contents: KeysFile) {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, keysFileText(contents), { mode: 0o600 });
  await rename(temporary, file);
}

/** Reads the keys file, creating it with one fresh key if it does not exist yet. */
export async function loadOrCreateKeys(file: string, alg: SigningAlgorithm = DEFAULT_SIGNING_ALGORITHM): Promise<StoredKey[]> {
  try {
    return parseKeysFile(await readFile(file, 'utf8'), file).keys;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const key = await createKey(alg, new Date());
  try {
    // 'wx' makes two processes starting together agree on one key: the loser reads the winner's file.
    const handle = await open(file, 'wx', 0o600);
    await handle.writeFile(keysFileText({ keys: [key] }));
    await handle.close();
    return [key];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return parseKeysFile(await readFile(file, 'utf8'), file).keys;
  }
}

/**
 * Adds a new signing key and drops keys that were superseded more than `retainSeconds` ago
 * (by then no token they signed is still valid). Running servers pick the change up
 * within their reload interval, without a restart.
 */
export async function rotateKeys(
  file: string,
  options: { alg?: SigningAlgorithm; retainSeconds?: number; now?: Date } = {},
): Promise<StoredKey[]> {
  const now = options.now ?? new Date();
  const retainMs = (options.retainSeconds ?? 60 * 60) * 1000;
  const existing = await loadOrCreateKeys(file, options.alg);
  const kept = existing.filter((_, index) => {
    const successor = existing[index + 1];
    return !successor || now.getTime() - Date.parse(successor.createdAt) < retainMs;
  });
  const keys = [...kept, await createKey(options.alg ?? DEFAULT_SIGNING_ALGORITHM, now)];
  await writeKeysFile(file, { keys });
  return keys;
}

/** The keys a running server signs and publishes with, reloaded when the file changes. */
export interface KeyStore {
  signingKey(): Promise<{ kid: string; alg: SigningAlgorithm; key: CryptoKey }>;
  publicJwks(): Promise<PublicJwk[]>;
  algorithms(): Promise<SigningAlgorithm[]>;
}

export async function openKeyStore(file: string, options: { reloadIntervalMs?: number } = {}): Promise<KeyStore> {
  const reloadIntervalMs = options.reloadIntervalMs ?? 30_000;
  let keys = await loadOrCreateKeys(file);
  let mtimeMs = (await stat(file)).mtimeMs;
  let checkedAt = Date.now();
  const imported = new Map<string, Promise<CryptoKey>>();

  async function current() {
    if (Date.now() - checkedAt >= reloadIntervalMs) {
      checkedAt = Date.now();
      const changed = await stat(file).then(
        (s) => s.mtimeMs !== mtimeMs,
        () => false,
      );
      if (changed) {
        keys = parseKeysFile(await readFile(file, 'utf8'), file).keys;
        mtimeMs = (await stat(file)).mtimeMs;
      }
    }
    return keys;
  }

  return {
    async signingKey() {
      const newest = (await current()).at(-1)!;
      let key = imported.get(newest.kid);
      if (!key) {
        key = importJWK(newest.privateJwk, newest.alg) as Promise<CryptoKey>;
        imported.set(newest.kid, key);
      }
      return { kid: newest.kid, alg: newest.alg, key: await key };
    },
    async publicJwks() {
      return (await current()).map(toPublicJwk);
    },
    async algorithms() {
      return [...new Set((await current()).map((key) => key.alg))];
    },
  };
}
