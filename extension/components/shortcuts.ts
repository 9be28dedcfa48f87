/** The popup's keyboard shortcuts, as the help view lists them. */
export const SHORTCUTS: { keys: string; action: string }[] = [
  { keys: '/', action: 'Search' },
  { keys: 'Space', action: 'Play / pause' },
  { keys: 'N / P', action: 'Next / previous track' },
  { keys: 'S / R', action: 'Shuffle / repeat' },
  { keys: '1 – 4', action: 'Home, Search, Playlists, Queue' },
  { keys: '↑ ↓ Home End', action: 'Move in a list' },
  { keys: 'Enter', action: 'Play the track (open the item)' },
  { keys: 'Alt + ↑ ↓', action: 'Move a playlist or queue track' },
  { keys: 'Delete', action: 'Remove from the playlist or queue' },
  { keys: 'Esc', action: 'Back / close' },
  { keys: '?', action: 'This help' },
];
