import type { AudioEvent, ControlAction, MediaItem } from '@/player/messages';

/** The parts of `navigator.mediaSession` the player uses; a fake in specs. */
export type MediaSessionLike = Pick<MediaSession, 'metadata' | 'playbackState' | 'setActionHandler'>;

/** The OS media controls' buttons and the player action each one triggers. */
const ACTIONS: [MediaSessionAction, ControlAction][] = [
  ['play', 'play'],
  ['pause', 'pause'],
  ['nexttrack', 'next'],
  ['previoustrack', 'previous'],
];

/**
 * The OS media controls (lock screen, media hub, headset buttons) for the document that plays:
 * the current track's title, artist, album and artwork, the playing/paused state, and the
 * buttons, which become player commands through `control`.
 */
export function connectMediaSession(
  session: MediaSessionLike,
  control: (action: ControlAction) => void,
  metadata: (init: MediaMetadataInit) => MediaMetadata = (init) => new MediaMetadata(init),
) {
  for (const [action, command] of ACTIONS) {
    try {
      session.setActionHandler(action, () => control(command));
    } catch {
      // An action this browser does not support.
    }
  }

  return {
    /** Shows the item now loaded, or clears the controls when nothing is. */
    show(item: MediaItem | undefined): void {
      const track = item?.track;
      session.metadata = track
        ? metadata({
            title: track.title,
            artist: track.artist,
            album: track.album,
            artwork: track.coverUrl ? [{ src: track.coverUrl }] : [],
          })
        : null;
    },
    /** Follows what the audio element did, so the controls show play or pause. */
    follow(event: AudioEvent): void {
      if (event.type === 'playing' || event.type === 'advanced') session.playbackState = 'playing';
      if (event.type === 'paused') session.playbackState = 'paused';
    },
  };
}
