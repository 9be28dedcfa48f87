import { describe, expect, it, vi } from 'vitest';
import type { ControlAction } from '@/player/messages';
import { connectMediaSession, type MediaSessionLike } from './media-session';

function fakeSession() {
  const handlers = new Map<MediaSessionAction, () => void>();
  let unsupported = false;
  const session: MediaSessionLike = {
    metadata: null,
    playbackState: 'none',
    setActionHandler: (action, handler) => {
      if (action === 'previoustrack' && handler && unsupported) throw new TypeError('not supported');
      if (handler) handlers.set(action, handler as () => void);
    },
  };
  return { session, handlers, withoutPrevious: () => (unsupported = true) };
}

/** MediaMetadata is a browser class; the spec records what it was built from. */
const metadata = (init: MediaMetadataInit) => ({ ...init }) as unknown as MediaMetadata;

const item = {
  url: 'https://media.test/a.mp3',
  track: { id: 'trk_1', title: 'Lumière', artist: 'Zoë Quill', album: 'Nachtlicht', coverUrl: 'https://media.test/c.jpg' },
};

describe('media session', () => {
  it("shows the loaded track's title, artist, album and artwork, and clears them when nothing plays", () => {
    const { session } = fakeSession();
    const controls = connectMediaSession(session, () => {}, metadata);

    controls.show(item);
    expect(session.metadata).toEqual({
      title: 'Lumière',
      artist: 'Zoë Quill',
      album: 'Nachtlicht',
      artwork: [{ src: 'https://media.test/c.jpg' }],
    });

    controls.show({
      url: 'https://media.test/b.mp3',
      track: { id: 'trk_2', title: 'Ohne Bild', artist: 'Zoë Quill', album: 'Nachtlicht' },
    });
    expect(session.metadata).toMatchObject({ title: 'Ohne Bild', artwork: [] });

    controls.show(undefined);
    expect(session.metadata).toBeNull();
  });

  it('turns the OS buttons into player commands', () => {
    const { session, handlers } = fakeSession();
    const control = vi.fn<(action: ControlAction) => void>();
    connectMediaSession(session, control, metadata);

    for (const action of ['play', 'pause', 'nexttrack', 'previoustrack'] as const) handlers.get(action)!();
    expect(control.mock.calls.map(([action]) => action)).toEqual(['play', 'pause', 'next', 'previous']);
  });

  it('keeps the other buttons when the browser refuses one', () => {
    const { session, handlers, withoutPrevious } = fakeSession();
    withoutPrevious();
    connectMediaSession(session, () => {}, metadata);
    expect([...handlers.keys()]).toEqual(['play', 'pause', 'nexttrack']);
  });

  it('shows playing or paused as the audio does', () => {
    const { session } = fakeSession();
    const controls = connectMediaSession(session, () => {}, metadata);

    controls.follow({ type: 'playing', trackId: 'trk_1', positionSec: 0 });
    expect(session.playbackState).toBe('playing');
    controls.follow({ type: 'paused', trackId: 'trk_1', positionSec: 12 });
    expect(session.playbackState).toBe('paused');
    controls.follow({ type: 'advanced', trackId: 'trk_2' });
    expect(session.playbackState).toBe('playing');
    controls.follow({ type: 'checkpoint', trackId: 'trk_2', positionSec: 10, durationSec: 200 });
    expect(session.playbackState).toBe('playing');
  });
});
