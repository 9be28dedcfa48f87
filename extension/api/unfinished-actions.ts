import { storage } from 'wxt/utils/storage';
import { newActionKey } from './playlists-service';

/**
 * The `Idempotency-Key`s of creates and adds whose outcome is unknown: every try failed without
 * saying the write did not happen (no answer, a 5xx, a conflict that outlasted the retries, an add
 * that stopped part way). When the listener asks for the same change again, it goes with the same
 * key, so the server finishes it, or answers that it is done, instead of doing it twice.
 *
 * Kept in `storage.local` rather than in the popup: the popup closes on any click elsewhere, often
 * while a try is on its way, and a browser restart is as likely a moment as any for the network to
 * have failed. The session area would lose the key at exactly that restart. A key is worth nothing
 * without the listener's token; what it was for is stored as a digest (no names, no track lists),
 * and everything here goes at sign-out.
 *
 * A key is held only while the outcome is unknown, and never for a change the listener has since
 * made moot: it is dropped once the action succeeds or is refused (a 4xx the server does not mark
 * retryable), once the listener deletes the playlist or removes entries from it by hand, and after
 * `HELD_KEY_LIFETIME_MS`. A create sent again with a held key may be answered with a playlist that
 * was deleted or renamed since, here or elsewhere; the playlists store checks, and creates anew.
 */

/** A create or an add, as far as its key is concerned: the same action sends the same key. */
export type KeyedAction = { kind: 'create'; name: string } | { kind: 'add'; playlistId: string; trackIds: readonly string[] };

interface HeldKey {
  /** The `Idempotency-Key` every try of the action sends. */
  key: string;
  /** When the key was made (epoch ms). */
  madeAt: number;
  /** The playlist an add goes to, so that changing that playlist drops the key. */
  playlistId?: string;
}

/**
 * The server keeps a key's record 24 h from its first request. A key is given up an hour earlier,
 * so a repeat never arrives just after the record expired (it would then be written twice).
 */
export const HELD_KEY_LIFETIME_MS = 23 * 60 * 60 * 1000;

/** Held keys by the digest of their action. */
const heldKeysItem = storage.defineItem<Record<string, HeldKey>>('local:playlists.unfinished', { fallback: {} });

// One read-modify-write at a time: a create and the add that follows it may overlap.
let updates: Promise<unknown> = Promise.resolve();

function update<T>(change: (held: Record<string, HeldKey>, now: number) => T): Promise<T> {
  const run = updates.then(async () => {
    const now = Date.now();
    const held = await heldKeysItem.getValue();
    for (const [id, entry] of Object.entries(held)) if (now - entry.madeAt >= HELD_KEY_LIFETIME_MS) delete held[id];
    const result = change(held, now);
    await heldKeysItem.setValue(held);
    return result;
  });
  updates = run.catch(() => {});
  return run;
}

/**
 * A digest of what `action` sends, so equal actions meet and an add of a whole album stays small:
 * 64-bit FNV-1a, computed at once (no round trip to `crypto.subtle`). Two actions that collided
 * would share a key, which the server refuses for a second body (422), and that drops the key.
 */
function actionId(action: KeyedAction): string {
  const what = action.kind === 'create' ? ['create', action.name] : ['add', action.playlistId, ...action.trackIds];
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(JSON.stringify(what))) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash.toString(16).padStart(16, '0');
}

/**
 * The key for `action`, held (stored before anything is sent) until `releaseKey`: the one an
 * earlier try with an unknown outcome left, else a new one. `repeat` tells which.
 */
export function holdKey(action: KeyedAction): Promise<{ key: string; repeat: boolean }> {
  const id = actionId(action);
  return update((held, now) => {
    const earlier = held[id];
    if (earlier) return { key: earlier.key, repeat: true };
    held[id] = { key: newActionKey(), madeAt: now, ...(action.kind === 'add' && { playlistId: action.playlistId }) };
    return { key: held[id].key, repeat: false };
  });
}

/** Drops the key of `action`: its outcome is known. */
export function releaseKey(action: KeyedAction): Promise<void> {
  const id = actionId(action);
  return update((held) => void delete held[id]);
}

/**
 * Drops the keys of adds to a playlist the listener changed by hand (deleted it, removed entries):
 * adding the same tracks after that is a new action, which a replay of the old one would swallow.
 */
export function releasePlaylistKeys(playlistId: string): Promise<void> {
  return update((held) => {
    for (const [id, entry] of Object.entries(held)) if (entry.playlistId === playlistId) delete held[id];
  });
}

/** Forgets every held key (sign-out: they belong to one listener). */
export function releaseAllKeys(): Promise<void> {
  return update((held) => {
    for (const id of Object.keys(held)) delete held[id];
  });
}
