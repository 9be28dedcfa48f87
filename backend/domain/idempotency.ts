import { createHash } from 'node:crypto';
import type { Playlist, PlaylistEntry } from './playlists';

/**
 * Idempotent retries (API.md, "Idempotency-Key"): a client names a create or an add with a key
 * of its own; the server stores the outcome under that key with the write itself, so a retry of
 * a request whose answer was lost writes nothing and gets the original answer again.
 */

/** How long a key is remembered; a retry after that is a new request. */
export const IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 60 * 60;

/** Objects with their keys sorted, so two equal bodies serialize alike whatever the key order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * What makes two requests "the same" for a key: method, path and the body as validated (so
 * defaults and trimming are applied, and spacing or key order in the JSON do not matter).
 */
export function requestFingerprint(method: string, path: string, validatedBody: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([method.toUpperCase(), path, canonical(validatedBody)]))
    .digest('base64url');
}

/**
 * Sizes of the writes that store `total` entries at most `capacity` at a time, as even as
 * possible (100 in two writes is 50 + 50, not 98 + 2).
 */
export function planChunks(total: number, capacity: number): number[] {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  if (total <= 0) return [];
  const count = Math.ceil(total / capacity);
  const base = Math.floor(total / count);
  return Array.from({ length: count }, (_, i) => base + (i < total % count ? 1 : 0));
}

/** The part of `chunks` (sizes from `planChunks`) that chunk `index` covers, as slice bounds. */
export function chunkBounds(chunks: readonly number[], index: number): [number, number] {
  const start = chunks.slice(0, index).reduce((sum, size) => sum + size, 0);
  return [start, start + (chunks[index] ?? 0)];
}

/** The key as a write carries it, to be stored with that write's first transaction. */
export interface IdempotencyClaim {
  key: string;
  fingerprint: string;
  /** Seconds since the epoch when the write happens: a record expired by then counts as absent. */
  now: number;
  /** Seconds since the epoch when the key is forgotten. */
  expiresAt: number;
}

/** A key's claim for a request made at `at`. */
export const claimFor = (key: string, fingerprint: string, at: Date): IdempotencyClaim => {
  const now = Math.floor(at.getTime() / 1000);
  return { key, fingerprint, now, expiresAt: now + IDEMPOTENCY_KEY_TTL_SECONDS };
};

/** An add planned once and written in `chunks`: the whole plan is stored, so a retry resumes it exactly. */
export interface EntriesPlan {
  playlistId: string;
  entries: PlaylistEntry[];
  /** Sizes of the writes, in order (`planChunks`). */
  chunks: number[];
}

/** What a key remembers: the request's fingerprint and its outcome so far. */
export type IdempotencyRecord =
  | { fingerprint: string; kind: 'playlist'; playlist: Playlist }
  /** `done` chunks of the plan are written; the add is complete when `done === plan.chunks.length`. */
  | { fingerprint: string; kind: 'entries'; plan: EntriesPlan; done: number };

/**
 * The write a key guards could not be stored because the key is taken (another request with it
 * came first, or advanced the same add): read the record and answer from it.
 */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('The idempotency key is already taken');
    this.name = 'IdempotencyKeyTaken';
  }
}
