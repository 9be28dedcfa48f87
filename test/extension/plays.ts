import { randomUUID } from 'node:crypto';
import type { Track } from '@@/shared/api';
import type { RecordedPlay } from '@/listening/recorded-play';
import { makeTrack } from './factories';

/** A recorded play of `track` (a new one by default) that started `minutesAgo` minutes ago. */
export function makePlay(overrides: { track?: Partial<Track>; minutesAgo?: number; id?: string; userId?: string } = {}): RecordedPlay {
  const track = makeTrack(overrides.track);
  return {
    id: overrides.id ?? randomUUID(),
    trackId: track.id,
    startedAt: new Date(Date.now() - (overrides.minutesAgo ?? 5) * 60_000).toISOString(),
    msPlayed: Math.min(track.durationMs, 240_000),
    userId: overrides.userId ?? 'listener',
    track,
  };
}

/** `count` plays of different tracks, oldest first, a few minutes apart. */
export function makePlays(count: number): RecordedPlay[] {
  return Array.from({ length: count }, (_, i) => makePlay({ minutesAgo: 4 * (count - i) }));
}
