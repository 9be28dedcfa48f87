import type { Track } from './catalog';

/** The sections `GET /home` may hold, in the order it lists them; a section with no tracks is left out. */
export const HOME_SECTION_IDS = ['for-you', 'recently-played', 'most-played', 'new', 'popular'] as const;
export type HomeSectionId = (typeof HOME_SECTION_IDS)[number];

/** A themed slice of the home feed. */
export interface HomeSection {
  id: HomeSectionId;
  title: string;
  tracks: Track[];
}

/**
 * `GET /home`: the listener's feed, rebuilt by the schedule from what they play and like (a new
 * listener gets the global mix); tracks removed from the catalog since are left out.
 */
export interface HomeFeed {
  /** ISO time the feed was built; null (with empty lists) before the first build has run. */
  generatedAt: string | null;
  /** The first section's tracks, for clients that predate sections. */
  tracks: Track[];
  sections: HomeSection[];
}
