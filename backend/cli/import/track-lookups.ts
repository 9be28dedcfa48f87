import type { TrackRecord } from '../../domain/catalog';
import type { CatalogRepository } from '../../domain/ports';
import { groupCommit } from './group-commit';

/** Ids per `getTracks` call: one BatchGetItem. */
export const LOOKUP_BATCH_SIZE = 100;

/**
 * Looks catalog tracks up by id, many at once: the ids asked for while one `getTracks` call is
 * in progress go together in the next (group commit). `get` resolves with the track, or
 * undefined when the catalog has none; a failed call rejects only the lookups it carried.
 */
export function trackLookups(catalog: CatalogRepository, options = { size: LOOKUP_BATCH_SIZE, lingerMs: 0 }) {
  const lookups = groupCommit(
    async (ids: string[]) => {
      const found = new Map((await catalog.getTracks(ids)).map((track) => [track.id, track]));
      return ids.map((id) => found.get(id));
    },
    { ...options, maxWaiting: Infinity },
  );
  return { get: (id: string): Promise<TrackRecord | undefined> => lookups.add(id) };
}
