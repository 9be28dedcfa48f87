import type { ListeningSettings } from '@@/shared/api';
import { storage } from 'wxt/utils/storage';
import { readSession } from '@/api/session-storage';

/**
 * The listener's copy of `GET /me/settings`, so the background can tell without a request
 * whether to record plays (and scrobble them). The options page writes it whenever it reads or
 * changes the setting on the server; until then history is on, as it is on the server.
 */
export const listeningSettingsItem = storage.defineItem<ListeningSettings>('local:listening:settings', {
  fallback: { historyPaused: false },
});

/**
 * When each account last cleared its history (ISO time, by user id). A play that account
 * started before then, still waiting in this browser (in the play outbox, the scrobble queue or
 * being heard), is dropped rather than sent: clearing forgets it too.
 */
export const historyClearedItem = storage.defineItem<Record<string, string>>('local:listening:cleared', { fallback: {} });

/** A play as the queues keep it: whose it is and when it started. */
interface OwnedPlay {
  userId: string;
  startedAt: string;
}

/** Notes that the signed-in listener clears their history now; does nothing when nobody is signed in. */
export async function markHistoryCleared(at: Date = new Date()): Promise<void> {
  const session = await readSession();
  if (!session) return;
  const cleared = await historyClearedItem.getValue();
  await historyClearedItem.setValue({ ...cleared, [session.user.id]: at.toISOString() });
}

/** Reads the marks once: the returned test tells whether a play was heard before its account cleared its history. */
export async function clearedPlays(): Promise<(play: OwnedPlay) => boolean> {
  const cleared = await historyClearedItem.getValue();
  return (play) => {
    const at = cleared[play.userId];
    return at !== undefined && Date.parse(play.startedAt) < Date.parse(at);
  };
}
