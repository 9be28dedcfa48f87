import type { PlaylistImport } from '../../../shared/api';
import { importQuerySchema } from '../../../shared/api/requests';
import { requestFingerprint } from '../../domain/idempotency';
import { parsePlaylistFile } from '../../domain/playlist-files';
import { created, idempotencyKeyOf, parse, userIdOf, type RouteHandler } from '../http';
import { presentPlaylist } from '../playlists/presenters';
import { importPlaylist, type ImportDeps } from './import-playlist';
import { playlistFileOf } from './playlist-file-body';
import { createHash } from 'node:crypto';

/** Route handler of the playlist import function: authenticate → read and parse the file → match and create → present. */
export function playlistImportRoutes(deps: ImportDeps): Record<string, RouteHandler> {
  return {
    'POST /playlists/import': async (event) => {
      const userId = userIdOf(event);
      const { name } = parse(importQuerySchema, event.queryStringParameters ?? {});
      const key = idempotencyKeyOf(event);
      const { text, kind } = playlistFileOf(event);
      const file = parsePlaylistFile(text, kind);
      // The same file under the same name is the same request; the file by its hash, not its text.
      const request =
        key === undefined
          ? undefined
          : {
              key,
              fingerprint: requestFingerprint('POST', '/playlists/import', {
                name,
                file: createHash('sha256').update(text).digest('base64url'),
              }),
            };
      const outcome = await importPlaylist(deps, userId, file, { name, request });
      return created(
        { playlist: presentPlaylist(outcome.playlist), matched: outcome.matched, unmatched: outcome.unmatched } satisfies PlaylistImport,
        outcome.replayed,
      );
    },
  };
}
