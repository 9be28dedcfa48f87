import type { PlaysAccepted } from '../../../shared/api';
import { notFound } from '../../domain/errors';
import { acceptPlays, type ListeningRepository, type ListeningSettings, type PlayInput } from '../../domain/listening';
import type { CatalogRepository } from '../../domain/ports';

export interface ListeningCommandDeps {
  listening: ListeningRepository;
  catalog: CatalogRepository;
  now: () => Date;
}

/** The use cases behind the `/me` routes; every one is scoped to the verified user. */
export function listeningCommands({ listening, catalog, now }: ListeningCommandDeps) {
  return {
    /**
     * Records a batch of plays once each. Plays of tracks the catalog no longer holds are skipped
     * and named, so a backlog with a removed track never blocks; while the history is paused
     * nothing is stored.
     */
    async recordPlays(userId: string, input: readonly PlayInput[]): Promise<PlaysAccepted> {
      const at = now();
      const { plays, repeats } = acceptPlays(input, at);
      if ((await listening.settings(userId)).historyPaused) return { recorded: 0, known: 0, unknownTrackIds: [], paused: true };
      const trackIds = [...new Set(plays.map((play) => play.trackId))];
      const found = new Set((await catalog.getTracks(trackIds)).map((track) => track.id));
      const unknownTrackIds = trackIds.filter((id) => !found.has(id));
      const { recorded, known } = await listening.recordPlays(
        userId,
        plays.filter((play) => found.has(play.trackId)),
        at,
      );
      return { recorded, known: known + repeats, unknownTrackIds, paused: false };
    },

    /** Likes a track of the catalog; liking it again keeps the first like. */
    async like(userId: string, trackId: string): Promise<void> {
      if (!(await catalog.getTrack(trackId))) throw notFound('Track');
      await listening.like(userId, trackId, now());
    },

    /** Unlikes a track, also one that has left the catalog; unliking one not liked changes nothing. */
    async unlike(userId: string, trackId: string): Promise<void> {
      await listening.unlike(userId, trackId, now());
    },

    async clearHistory(userId: string): Promise<void> {
      await listening.clearHistory(userId, now());
    },

    async updateSettings(userId: string, settings: ListeningSettings): Promise<ListeningSettings> {
      await listening.saveSettings(userId, settings);
      return settings;
    },
  };
}
