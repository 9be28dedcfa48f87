import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** Refresh tokens (and their family) live 30 days from the last rotation. */
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

/**
 * For this long after a rotation, presenting the token just exchanged returns the successor it
 * was exchanged for (with a fresh access token) instead of counting as reuse: two parts of one
 * client refreshing at once, or a retry after a lost response, keep their session. It covers the
 * extension's slowest retry (two 15 s refresh timeouts, then a background alarm at least 30 s
 * later: about 60 s) with room for a late alarm; short enough that a token used by someone else
 * minutes later is still caught as reuse.
 */
export const REFRESH_TOKEN_GRACE_SECONDS = 120;

/** A new opaque refresh token: 32 random bytes, base64url. Only its hash is stored. */
export function newRefreshToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashRefreshToken(token) };
}

/** SHA-256 hex; a fast hash is enough for 256-bit random secrets. */
export const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Opaque random ids with a kind prefix, e.g. `usr_…`, `fam_…`. */
export const randomId = (prefix: string) => `${prefix}_${randomBytes(16).toString('base64url')}`;

const SEAL_INFO = 'alktunes refresh-token successor v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256 key only a holder of `token` can derive; 256 random bits need no salt or stretching. */
const sealingKey = (token: string) => Buffer.from(hkdfSync('sha256', token, Buffer.alloc(0), SEAL_INFO, 32));

/**
 * Encrypts `successor` (AES-256-GCM) under a key derived from `presented`, the token it replaces.
 * Only hashes of refresh tokens are stored, so this is how the server can hand the same
 * successor out again within the grace window without keeping any token readable: the database
 * alone cannot open it. Returns base64url of iv | ciphertext | tag.
 */
export function sealSuccessor(presented: string, successor: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(presented), iv);
  const sealed = Buffer.concat([iv, cipher.update(successor, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return sealed.toString('base64url');
}

/** Opens a value from `sealSuccessor`; undefined for another token's value or an altered one. */
export function openSuccessor(presented: string, sealed: string): string | undefined {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(presented), bytes.subarray(0, IV_BYTES));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
