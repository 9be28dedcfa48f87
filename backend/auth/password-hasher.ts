import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost parameters: N (CPU/memory cost, a power of two), r (block size), p (parallelism). */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** OWASP Password Storage Cheat Sheet minimum for scrypt (uses ~128 MiB per hash). */
export const OWASP_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Refuse to verify hashes whose stored parameters would exhaust memory or CPU. */
const MAX_LOG_N = 20;
const MAX_R = 32;
const MAX_P = 16;

export interface PasswordHasher {
  /** Hashes a password into a self-describing string: `$scrypt$ln=17,r=8,p=1$<salt>$<key>`. */
  hash(password: string): Promise<string>;
  /** Constant-time check of `password` against a stored hash; false for malformed hashes. */
  verify(password: string, encoded: string): Promise<boolean>;
  /** Spends the same work as `verify` and returns false; used when no account matched. */
  verifyAgainstDummy(password: string): Promise<false>;
  /** True when a stored hash was made with other parameters than the current ones. */
  needsRehash(encoded: string): boolean;
}

function derive(password: string, salt: Buffer, params: ScryptParams, keyLength: number) {
  return new Promise<Buffer>((resolve, reject) => {
    // scrypt needs 128·N·r bytes; leave headroom above Node's 32 MiB default.
    const maxmem = 256 * params.N * params.r + 1024 * 1024;
    scrypt(password.normalize('NFC'), salt, keyLength, { ...params, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function parse(encoded: string): ParsedHash | undefined {
  const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([\w-]+)\$([\w-]+)$/.exec(encoded);
  if (!match) return undefined;
  const [, ln, r, p, salt, key] = match as unknown as [string, string, string, string, string, string];
  const params = { N: 2 ** Number(ln), r: Number(r), p: Number(p) };
  if (Number(ln) < 1 || Number(ln) > MAX_LOG_N || params.r < 1 || params.r > MAX_R || params.p < 1 || params.p > MAX_P) {
    return undefined;
  }
  const keyBytes = Buffer.from(key, 'base64url');
  if (keyBytes.length < 16) return undefined;
  return { params, salt: Buffer.from(salt, 'base64url'), key: keyBytes };
}

function encode(params: ScryptParams, salt: Buffer, key: Buffer): string {
  const ln = Math.log2(params.N);
  return `$scrypt$ln=${ln},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

function assertValid(params: ScryptParams) {
  const ln = Math.log2(params.N);
  if (!Number.isInteger(ln) || ln < 1 || ln > MAX_LOG_N) throw new Error('scrypt N must be a power of two ≤ 2^20');
  if (params.r < 1 || params.r > MAX_R || params.p < 1 || params.p > MAX_P) throw new Error('scrypt r or p out of range');
}

/**
 * Creates the password hasher. Production uses the OWASP defaults; tests pass cheaper
 * parameters explicitly so suites stay fast. Stored hashes carry their own parameters,
 * so raising the cost later keeps old hashes verifiable (see `needsRehash`).
 */
export function createPasswordHasher(params: ScryptParams = OWASP_SCRYPT): PasswordHasher {
  assertValid(params);
  let dummy: Promise<string> | undefined;

  async function hash(password: string) {
    const salt = randomBytes(SALT_BYTES);
    return encode(params, salt, await derive(password, salt, params, KEY_BYTES));
  }

  async function verify(password: string, encoded: string) {
    const parsed = parse(encoded);
    if (!parsed) return false;
    const candidate = await derive(password, parsed.salt, parsed.params, parsed.key.length);
    return timingSafeEqual(candidate, parsed.key);
  }

  return {
    hash,
    verify,
    async verifyAgainstDummy(password) {
      dummy ??= hash(randomBytes(18).toString('base64url'));
      await verify(password, await dummy);
      return false;
    },
    needsRehash(encoded) {
      const parsed = parse(encoded);
      return !parsed || parsed.params.N !== params.N || parsed.params.r !== params.r || parsed.params.p !== params.p;
    },
  };
}
