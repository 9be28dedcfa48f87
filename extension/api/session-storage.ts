import type { User } from '@@/shared/api';
import { storage } from 'wxt/utils/storage';

/** Tokens and user of the signed-in listener, shared by popup and background. */
export interface StoredSession {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds after which the access token should be refreshed first. */
  expiresAt: number;
  user: User;
}

/**
 * Kept in `storage.local` so the listener stays signed in across browser restarts and the
 * popup can paint "signed in" before any request. Only extension contexts can read it.
 */
const sessionItem = storage.defineItem<StoredSession | null>('local:session', { fallback: null });

export function readSession(): Promise<StoredSession | null> {
  return sessionItem.getValue();
}

export function writeSession(session: StoredSession): Promise<void> {
  return sessionItem.setValue(session);
}

export function clearSession(): Promise<void> {
  return sessionItem.removeValue();
}

/** Calls `listener` whenever another context signs in, refreshes or signs out. */
export function watchSession(listener: (session: StoredSession | null) => void): () => void {
  return sessionItem.watch((value) => listener(value ?? null));
}
