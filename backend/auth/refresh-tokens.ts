import { createHash, randomBytes } from 'node:crypto';

/** Refresh tokens (and their family) live 30 days from the last rotation. */
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

/** A new opaque refresh token: 32 random bytes, base64url. Only its hash is stored. */
export function newRefreshToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashRefreshToken(token) };
}

/** SHA-256 hex; a fast hash is enough for 256-bit random secrets. */
export const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Opaque random ids with a kind prefix, e.g. `usr_…`, `fam_…`. */
export const randomId = (prefix: string) => `${prefix}_${randomBytes(16).toString('base64url')}`;
