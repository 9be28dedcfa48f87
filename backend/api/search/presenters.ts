import type { IndexedTrack } from '../../domain/search';
import { presentTrack, type KeySigner } from '../presenters';

/**
 * Search hits as public tracks. The index keeps no audio details, which the track presenter
 * never shows anyway; they are filled with blanks only to reuse it.
 */
export const presentSearchTracks = (tracks: readonly IndexedTrack[], sign: KeySigner) =>
  Promise.all(tracks.map((track) => presentTrack({ ...track, audioKey: '', contentType: '', contentHash: '' }, sign)));
