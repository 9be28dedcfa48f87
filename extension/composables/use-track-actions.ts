import type { Track } from '@@/shared/api';
import { usePlayerViewStore } from '@/stores/player-view';
import { usePlaylistsStore } from '@/stores/playlists';

/** What a track row can do, shared by home, search, album, artist and playlist views. */
export function useTrackActions() {
  const playlists = usePlaylistsStore();
  const player = usePlayerViewStore();

  return {
    /** Plays `tracks[index]` with the rest of the list queued. */
    play(tracks: Track[], index = 0): void {
      if (tracks.length) void player.playTracks(tracks, index);
    },
    /** The pointer is down on `track`'s play button: a play is likely, get ready for it. */
    warm(track: Track): void {
      player.warm(track.id);
    },
    playNext(track: Track): void {
      void player.playNext([track]);
    },
    addToQueue(track: Track): void {
      void player.addToQueue([track]);
    },
    addToPlaylist(tracks: Track[]): void {
      playlists.pick(tracks);
    },
  };
}
