import type * as wire from '../../../shared/api';
import type { Playlist } from '../../domain/playlists';

/** The stored playlist is the wire one; this picks its fields so nothing stored beside them leaks. */
export const presentPlaylist = (p: Playlist): wire.Playlist => ({
  id: p.id,
  name: p.name,
  description: p.description,
  entryCount: p.entryCount,
  version: p.version,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
});
