/** What every id the API hands out (playlists, entries, tracks, albums, artists) looks like; ids are otherwise opaque. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
