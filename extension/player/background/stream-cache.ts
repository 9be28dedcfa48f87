import { storage } from 'wxt/utils/storage';
import type { StreamUrl } from '@@/shared/api';

/** A URL this close to expiry is fetched anew rather than handed to the audio element. */
const EXPIRY_MARGIN_MS = 60_000;

type StreamMap = Record<string, StreamUrl>;

/**
 * Presigned stream URLs by track id, kept in `storage.session` so a restarted service worker
 * can still start the next track without an API round trip. Only trusted extension contexts
 * can read `storage.session`, and it is gone when the browser closes.
 */
const streamUrlsItem = storage.defineItem<StreamMap>('session:stream-urls', { fallback: {} });

/** Bound on the cache: one queue's worth of URLs is plenty. */
const MAX_ENTRIES = 200;

export interface StreamCacheDeps {
  fetchStream(trackId: string): Promise<StreamUrl>;
  item?: Pick<typeof streamUrlsItem, 'getValue' | 'setValue'>;
  now?: () => number;
}

/** Hands out stream URLs, fetching one only when the cached URL is missing, expiring or known bad. */
export function createStreamCache({ fetchStream, item = streamUrlsItem, now = Date.now }: StreamCacheDeps) {
  const inFlight = new Map<string, Promise<StreamUrl>>();
  // Read through every time: storage is the one copy, shared with the next worker lifetime.
  const load = () => item.getValue().catch((): StreamMap => ({}));
  /**
   * Writes run one after another: each reads the map, changes it and writes it back, so two at
   * once (a pre-warm fetches several URLs together) would each drop what the other added.
   */
  let writes: Promise<void> = Promise.resolve();
  /** Bumped by `clear()`: a lookup that started before it is not stored after it. */
  let epoch = 0;
  const queueWrite = (write: () => Promise<void>) => (writes = writes.then(write, write));

  function save(update: (map: StreamMap) => void, since: number): Promise<void> {
    return queueWrite(async () => {
      if (since !== epoch) return;
      const map = await load();
      update(map);
      const ids = Object.keys(map);
      for (const id of ids.slice(0, Math.max(0, ids.length - MAX_ENTRIES))) delete map[id];
      await item.setValue({ ...map }).catch(() => {});
    });
  }

  const usable = (stream: StreamUrl | undefined) => !!stream && Date.parse(stream.expiresAt) - EXPIRY_MARGIN_MS > now();

  return {
    /** A usable URL for the track; `fresh` skips the cache (the cached URL failed). */
    async get(trackId: string, options: { fresh?: boolean } = {}): Promise<StreamUrl> {
      if (!options.fresh) {
        const cached = (await load())[trackId];
        if (usable(cached)) return cached!;
      }
      let pending = inFlight.get(trackId);
      if (!pending || options.fresh) {
        const since = epoch;
        const fetching = fetchStream(trackId);
        pending = fetching;
        inFlight.set(trackId, fetching);
        // Kept for later (and the next worker lifetime) without holding up this caller; the
        // lookup stays in flight until it is stored, so nobody fetches the same URL meanwhile.
        void fetching
          .then((stream) =>
            save((map) => {
              delete map[trackId]; // re-insert so the newest entries are kept
              map[trackId] = stream;
            }, since),
          )
          .catch(() => {})
          .finally(() => {
            if (inFlight.get(trackId) === fetching) inFlight.delete(trackId);
          });
      }
      return pending;
    },

    /** Drops every URL (sign-out). */
    clear(): Promise<void> {
      epoch++;
      return queueWrite(() => item.setValue({}).catch(() => {}));
    },
  };
}

export type StreamCache = ReturnType<typeof createStreamCache>;
