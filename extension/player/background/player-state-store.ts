import { IDLE_PLAYER_STATE, normalizeState, type PlayerState } from '@/player/player-state';

/** Where the state outlives the service worker and the browser (`playerStateItem` in `storage.local`). */
export interface PlayerStateStorage {
  getValue(): Promise<PlayerState>;
  setValue(state: PlayerState): Promise<void>;
}

/**
 * The player's state in the background: held in memory, written through to storage in order.
 * The queue owner creates it and waits for `loaded` before its first command; the queue owner
 * and the track loader both change it, only through `commit`, so popups (which watch storage)
 * see every change.
 */
export function createPlayerStateStore(
  storage: PlayerStateStorage,
  log: Pick<Console, 'error'> = console,
  onCommit?: (patch: Partial<PlayerState>, state: PlayerState) => void,
) {
  let state: PlayerState = { ...IDLE_PLAYER_STATE };
  let writing = Promise.resolve();

  /** Resolves once the stored state (or the idle one, when there is none) is in memory. */
  const loaded = (async () => {
    state = normalizeState(await storage.getValue().catch(() => undefined));
  })();

  /** Applies `patch` (an `undefined` optional field is removed) and queues the write. */
  function commit(patch: Partial<PlayerState>): PlayerState {
    state = { ...state, ...patch };
    for (const key of ['error', 'notice', 'unshuffled'] as const) if (state[key] === undefined) delete state[key];
    const snapshot = state;
    onCommit?.(patch, snapshot);
    writing = writing.then(() => storage.setValue(snapshot)).catch((error: unknown) => log.error('[player] could not save state', error));
    return state;
  }

  return {
    loaded,
    /** The current state (after `loaded`). */
    get: () => state,
    commit,
    /** Resolves once every state change so far is in storage. */
    flush: () => writing,
  };
}

export type PlayerStateStore = ReturnType<typeof createPlayerStateStore>;
