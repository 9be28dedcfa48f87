import { checkDisplayName } from '../../../shared/api/display-name';
import { MAX_ENTRIES_PER_ADD } from '../../../shared/api';
import { requestFingerprint } from '../../domain/idempotency';
import { matchImportedItems } from '../../domain/playlist-files-matching';
import type { ImportedPlaylist } from '../../domain/playlist-files';
import type { Playlist } from '../../domain/playlists';
import type { CatalogRepository } from '../../domain/ports';
import type { TrackSearch } from '../../domain/search';
import type { KeyedRequest, playlistCommands } from '../playlists/commands';

/** The name of an imported playlist when neither the request nor the file gives a usable one. */
const DEFAULT_IMPORT_NAME = 'Imported playlist';

export interface ImportDeps {
  commands: ReturnType<typeof playlistCommands>;
  catalog: CatalogRepository;
  search: Pick<TrackSearch, 'search'>;
}

export interface ImportOutcome {
  playlist: Playlist;
  matched: number;
  unmatched: string[];
  replayed: boolean;
}

/**
 * Creates a playlist from a parsed file: each line matched against the catalog (matching.ts),
 * the matched tracks added in file order with the playlist commands, `MAX_ENTRIES_PER_ADD` at a
 * time, so the entry count and ranks are kept as for any add. With an Idempotency-Key the create
 * and each add are keyed (the adds with the key and their number), so a retry finishes what a
 * failed import started and adds nothing twice.
 */
export async function importPlaylist(
  { commands, catalog, search }: ImportDeps,
  userId: string,
  file: ImportedPlaylist,
  input: { name?: string; request?: KeyedRequest },
): Promise<ImportOutcome> {
  const matches = await matchImportedItems(file.items, {
    existingIds: async (ids) => new Set((await catalog.getTracks(ids)).map((track) => track.id)),
    search: (query) => search.search(query),
  });
  const trackIds = matches.filter((id) => id !== undefined);
  const unmatched = file.items.flatMap((item, i) => (matches[i] === undefined ? [item.text] : []));

  const fromFile = file.title === undefined ? undefined : checkDisplayName(file.title);
  const name = input.name ?? (fromFile?.ok ? fromFile.name : DEFAULT_IMPORT_NAME);
  const { value: created, replayed } = await commands.createPlaylist(userId, { name, description: '' }, input.request);
  for (let start = 0; start < trackIds.length; start += MAX_ENTRIES_PER_ADD) {
    const add = { trackIds: trackIds.slice(start, start + MAX_ENTRIES_PER_ADD), position: 'end' as const };
    const keyed = input.request && {
      key: `${input.request.key}#${start / MAX_ENTRIES_PER_ADD + 1}`,
      fingerprint: requestFingerprint('POST', `/playlists/${created.id}/entries`, add),
    };
    await commands.addEntries(userId, created.id, add, keyed);
  }
  return { playlist: await commands.requirePlaylist(userId, created.id), matched: trackIds.length, unmatched, replayed };
}
