import type { Track } from './catalog';

/** A themed slice of the home feed. */
export interface HomeSection {
  title: string;
  tracks: Track[];
}

/** `GET /home`: the listener's shuffled feed; tracks removed from the catalog since the shuffle are left out. */
export interface HomeFeed {
  /** ISO time of the shuffle; null (with empty lists) before the first one has run. */
  generatedAt: string | null;
  tracks: Track[];
  sections: HomeSection[];
}
