import {
  describeLocation,
  displayName,
  importedText,
  ourTrackId,
  relativeLocation,
  singleLine,
  splitDisplayName,
  TRACK_URI_PREFIX,
  type ExportedPlaylist,
  type ImportedItem,
  type ImportedPlaylist,
} from './playlist-files-model';

/**
 * The comment line that carries a track's id in our M3U8 files. Players skip `#` lines they do
 * not know, and it comes before `#EXTINF`, which some players want right above the location.
 */
const TRACK_ID_LINE = '#ALKTUNES-TRACK:';

/**
 * Extended M3U in UTF-8: `#EXTM3U`, `#PLAYLIST:<name>`, then per track its id comment,
 * `#EXTINF:<seconds>,<Artist> - <Title>` and its location relative to the playlist file.
 */
export function formatM3u8(playlist: ExportedPlaylist): string {
  const lines = ['#EXTM3U', `#PLAYLIST:${singleLine(playlist.name)}`];
  for (const track of playlist.tracks) {
    lines.push(
      `${TRACK_ID_LINE}${TRACK_URI_PREFIX}${track.id}`,
      `#EXTINF:${Math.round(track.durationMs / 1000)},${singleLine(displayName(track.artist, track.title))}`,
      m3uLocation(relativeLocation(track)),
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The location line: a path starting with `#` (an artist named "#1 Dads") would read as a
 * comment, here and in every other player, so it starts with `./` instead.
 */
const m3uLocation = (parts: readonly string[]) => {
  const path = parts.join('/');
  return path.startsWith('#') ? `./${path}` : path;
};

/**
 * `#EXTINF:<duration>[ attributes],<display>`; the display may hold commas, the attributes quoted
 * ones. One `\s` before the attributes, not `\s+`: both would take spaces, and a long line of
 * them without a comma would make the match quadratic.
 */
const EXTINF = /^#EXTINF:\s*-?[\d.]+(?:\s(?:[^",]|"[^"]*")*)?,(.*)$/i;

/**
 * Reads M3U and M3U8: any line ending (CRLF, LF, CR), comments and unknown directives skipped;
 * each location line is a track, named by the `#EXTINF` above it ("Artist - Title") or, without
 * one, by its path. Stops after `maxTracks + 1` tracks: one more tells the caller it is too many.
 */
export function parseM3u(text: string, maxTracks = Infinity): ImportedPlaylist {
  let title: string | undefined;
  let display: string | undefined;
  let trackId: string | undefined;
  const items: ImportedItem[] = [];
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('#')) {
      if (/^#PLAYLIST:/i.test(line)) title = importedText(line.slice('#PLAYLIST:'.length)) || undefined;
      else if (line.toUpperCase().startsWith(TRACK_ID_LINE)) trackId = ourTrackId(line.slice(TRACK_ID_LINE.length).trim());
      else {
        const extinf = EXTINF.exec(line);
        if (extinf) display = importedText(extinf[1]!) || undefined;
      }
      continue;
    }
    const fromPath = describeLocation(line);
    const named = display ? (splitDisplayName(display) ?? { title: display }) : {};
    items.push({
      text: display ?? importedText(line),
      ...(trackId ? { trackId } : {}),
      ...fromPath,
      ...named,
    });
    if (items.length > maxTracks) break;
    display = undefined;
    trackId = undefined;
  }
  return { ...(title ? { title } : {}), items };
}
