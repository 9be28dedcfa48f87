import {
  describeLocation,
  displayName,
  relativeLocation,
  singleLine,
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
      relativeLocation(track).join('/'),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `#EXTINF:<duration>[ attributes],<display>`; the display may hold commas, the attributes quoted ones. */
const EXTINF = /^#EXTINF:\s*-?[\d.]+(?:\s+(?:[^",]|"[^"]*")*)?,(.*)$/i;

/**
 * Reads M3U and M3U8: any line ending (CRLF, LF, CR), comments and unknown directives skipped;
 * each location line is a track, named by the `#EXTINF` above it ("Artist - Title") or, without
 * one, by its path.
 */
export function parseM3u(text: string): ImportedPlaylist {
  let title: string | undefined;
  let display: string | undefined;
  let trackId: string | undefined;
  const items: ImportedItem[] = [];
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('#')) {
      if (/^#PLAYLIST:/i.test(line)) title = line.slice('#PLAYLIST:'.length).trim() || undefined;
      else if (line.toUpperCase().startsWith(TRACK_ID_LINE)) trackId = line.slice(TRACK_ID_LINE.length).trim();
      else {
        const extinf = EXTINF.exec(line);
        if (extinf) display = extinf[1]!.trim() || undefined;
      }
      continue;
    }
    const fromPath = describeLocation(line);
    const named = display ? splitDisplay(display) : {};
    items.push({
      text: display ?? line,
      ...(trackId?.startsWith(TRACK_URI_PREFIX) ? { trackId: trackId.slice(TRACK_URI_PREFIX.length) } : {}),
      ...fromPath,
      ...named,
    });
    display = undefined;
    trackId = undefined;
  }
  return { ...(title ? { title } : {}), items };
}

/** `Artist - Title` into its parts; a display without the dash is a title. */
function splitDisplay(display: string): Pick<ImportedItem, 'artist' | 'title'> {
  const [artist, ...rest] = display.split(/\s+[-–—]\s+/);
  return rest.length ? { artist: artist!.trim(), title: rest.join(' - ').trim() } : { title: display };
}
