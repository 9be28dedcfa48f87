import type { Track } from '@@/backend/domain/catalog';
import { usePlaybackStore } from '@/stores/playback';
import { usePlayerStore } from '@/stores/player';
import { usePlaylistsStore } from '@/stores/playlists';

/** What a track row can do, shared by home, search, album, artist and playlist views. */
export function useTrackActions() {
  const playback = usePlaybackStore();
  const playlists = usePlaylistsStore();
  const player = usePlayerStore();

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
      void playback.playNext([track]);
    },
    addToQueue(track: Track): void {
      void playback.addToQueue([track]);
    },
    addToPlaylist(tracks: Track[]): void {
      playlists.pick(tracks);
    },
  };
}
