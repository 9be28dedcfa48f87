import { argon2, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { createHashGate, type HashGate } from './hash-gate';

/** argon2id cost: memory in KiB, passes over it (t) and lanes (p). */
export interface Argon2Params {
  memoryKiB: number;
  passes: number;
  parallelism: number;
}

/** OWASP Password Storage Cheat Sheet's argon2id setting: 19 MiB, 2 passes, 1 lane (~50 ms per hash here). */
export const OWASP_ARGON2ID: Argon2Params = { memoryKiB: 19_456, passes: 2, parallelism: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Refuse to verify hashes whose stored parameters would exhaust memory or CPU. */
const MAX_MEMORY_KIB = 128 * 1024;
const MAX_PASSES = 10;
const MAX_PARALLELISM = 16;
const MAX_LOG_N = 20;
const MAX_R = 32;
const MAX_P = 16;

export interface HashOptions {
  /** Goes ahead of other hashes waiting for a slot (a sign-in from an address the account used before). */
  priority?: boolean;
}

export interface PasswordHasher {
  /** Hashes a password into a PHC string: `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`. */
  hash(password: string, options?: HashOptions): Promise<string>;
  /** Constant-time check of `password` against a stored hash (argon2id, or scrypt from before); false for malformed hashes. */
  verify(password: string, encoded: string, options?: HashOptions): Promise<boolean>;
  /** Spends the same work as `verify` and returns false; used when no account matched. */
  verifyAgainstDummy(password: string): Promise<false>;
  /** True when a stored hash is scrypt or argon2id with other parameters than the current ones. */
  needsRehash(encoded: string): boolean;
}

/** A stored hash, parsed: how to derive a candidate key, and the key to compare it with. */
interface StoredHash {
  derive(password: string): Promise<Buffer>;
  key: Buffer;
  argon2?: Argon2Params;
}

const normalized = (password: string) => password.normalize('NFC');

function deriveArgon2(password: string, salt: Buffer, params: Argon2Params, keyLength: number) {
  return new Promise<Buffer>((resolve, reject) => {
    argon2(
      'argon2id',
      {
        message: normalized(password),
        nonce: salt,
        memory: params.memoryKiB,
        passes: params.passes,
        parallelism: params.parallelism,
        tagLength: keyLength,
      },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

function deriveScrypt(password: string, salt: Buffer, params: { N: number; r: number; p: number }, keyLength: number) {
  return new Promise<Buffer>((resolve, reject) => {
    // scrypt needs 128·N·r bytes; leave headroom above Node's 32 MiB default.
    const maxmem = 256 * params.N * params.r + 1024 * 1024;
    scrypt(normalized(password), salt, keyLength, { ...params, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

// PHC strings use standard base64 without padding.
const toB64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');
const encodeArgon2 = (params: Argon2Params, salt: Buffer, key: Buffer) =>
  `$argon2id$v=19$m=${params.memoryKiB},t=${params.passes},p=${params.parallelism}$${toB64(salt)}$${toB64(key)}`;

function argon2InRange({ memoryKiB, passes, parallelism }: Argon2Params) {
  const integers = [memoryKiB, passes, parallelism].every(Number.isInteger);
  return (
    integers &&
    parallelism >= 1 &&
    parallelism <= MAX_PARALLELISM &&
    memoryKiB >= 8 * parallelism &&
    memoryKiB <= MAX_MEMORY_KIB &&
    passes >= 1 &&
    passes <= MAX_PASSES
  );
}

function parseArgon2(encoded: string): StoredHash | undefined {
  const match = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{11,86})\$([A-Za-z0-9+/]{22,86})$/.exec(encoded);
  if (!match) return undefined;
  const [, m, t, p, salt, key] = match as unknown as [string, string, string, string, string, string];
  const params = { memoryKiB: Number(m), passes: Number(t), parallelism: Number(p) };
  if (!argon2InRange(params)) return undefined;
  const saltBytes = Buffer.from(salt, 'base64');
  const keyBytes = Buffer.from(key, 'base64');
  return { argon2: params, key: keyBytes, derive: (password) => deriveArgon2(password, saltBytes, params, keyBytes.length) };
}

/** scrypt hashes stored before argon2id (`$scrypt$ln=17,r=8,p=1$<salt>$<key>`): verified, then upgraded at sign-in. */
function parseScrypt(encoded: string): StoredHash | undefined {
  const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([\w-]+)\$([\w-]+)$/.exec(encoded);
  if (!match) return undefined;
  const [, ln, r, p, salt, key] = match as unknown as [string, string, string, string, string, string];
  const params = { N: 2 ** Number(ln), r: Number(r), p: Number(p) };
  if (Number(ln) < 1 || Number(ln) > MAX_LOG_N || params.r < 1 || params.r > MAX_R || params.p < 1 || params.p > MAX_P) return undefined;
  const keyBytes = Buffer.from(key, 'base64url');
  if (keyBytes.length < 16) return undefined;
  const saltBytes = Buffer.from(salt, 'base64url');
  return { key: keyBytes, derive: (password) => deriveScrypt(password, saltBytes, params, keyBytes.length) };
}

const parse = (encoded: string) => parseArgon2(encoded) ?? parseScrypt(encoded);

export interface PasswordHasherOptions {
  /** Cost of new hashes; OWASP_ARGON2ID by default. Tests pass cheaper parameters so suites stay fast. */
  argon2?: Argon2Params;
  /** Where hashes wait for a slot; by default a gate of this hasher's own (see hash-gate.ts). */
  gate?: HashGate;
}

/**
 * Creates the password hasher. Stored hashes carry their own algorithm and parameters, so
 * raising the cost later keeps old hashes verifiable (see `needsRehash`). Every hash, also the
 * dummy one for unknown accounts, waits its turn at the gate.
 */
export function createPasswordHasher(options: PasswordHasherOptions = {}): PasswordHasher {
  const params = options.argon2 ?? OWASP_ARGON2ID;
  if (!argon2InRange(params)) throw new Error(`argon2id parameters out of range: ${JSON.stringify(params)}`);
  const gate = options.gate ?? createHashGate();
  // Random bytes in the place of a key: verifying against it costs a real hash and never matches.
  const dummy = encodeArgon2(params, randomBytes(SALT_BYTES), randomBytes(KEY_BYTES));

  async function verify(password: string, encoded: string, hashOptions: HashOptions = {}) {
    const stored = parse(encoded);
    if (!stored) return false;
    const candidate = await gate.run(() => stored.derive(password), hashOptions);
    return timingSafeEqual(candidate, stored.key);
  }

  return {
    async hash(password, hashOptions = {}) {
      const salt = randomBytes(SALT_BYTES);
      return encodeArgon2(params, salt, await gate.run(() => deriveArgon2(password, salt, params, KEY_BYTES), hashOptions));
    },
    verify,
    async verifyAgainstDummy(password) {
      await verify(password, dummy);
      return false;
    },
    needsRehash(encoded) {
      const current = parse(encoded)?.argon2;
      return (
        !current || current.memoryKiB !== params.memoryKiB || current.passes !== params.passes || current.parallelism !== params.parallelism
      );
    },
  };
}
