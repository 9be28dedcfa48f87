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
     * Records a batch of plays once each. Plays started too far ahead or too long ago are skipped
     * and named, and so are plays of tracks the catalog no longer holds, so a backlog never blocks;
     * plays started before the last clear of the history are resends of forgotten plays, ignored as
     * known. While the history is paused nothing is stored.
     */
    async recordPlays(userId: string, input: readonly PlayInput[]): Promise<PlaysAccepted> {
      const at = now();
      const { plays, refused, repeats } = acceptPlays(input, at);
      const { historyPaused, historyClearedAt } = await listening.settings(userId);
      if (historyPaused) return { recorded: 0, known: 0, unknownTrackIds: [], refusedPlayIds: [], paused: true };
      // Both UTC ISO: compared as text.
      const current = historyClearedAt ? plays.filter((play) => play.startedAt >= historyClearedAt) : plays;
      const trackIds = [...new Set(current.map((play) => play.trackId))];
      const found = new Set((await catalog.getTracks(trackIds)).map((track) => track.id));
      const unknownTrackIds = trackIds.filter((id) => !found.has(id));
      const { recorded, known } = await listening.recordPlays(
        userId,
        current.filter((play) => found.has(play.trackId)),
        at,
      );
      const forgotten = plays.length - current.length;
      return { recorded, known: known + repeats + forgotten, unknownTrackIds, refusedPlayIds: refused, paused: false };
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
