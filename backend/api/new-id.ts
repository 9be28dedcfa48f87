import { randomBytes } from 'node:crypto';

/**
 * A new opaque id such as `pl_0m5x2k1a8Qz3…`: a time prefix keeps a user's playlists in
 * creation order in their partition, and 12 random bytes make collisions negligible.
 */
export function newId(prefix: string, now: Date = new Date()): string {
  return `${prefix}_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(12).toString('base64url')}`;
}
