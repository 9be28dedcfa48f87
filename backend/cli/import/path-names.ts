/**
 * Names guessed from where a file sits, for files with missing tags: the usual
 * `Artist/Album (Year)/CD1/01 - Title.ext` layouts.
 */
export interface PathNames {
  title: string;
  artist?: string;
  album?: string;
  trackNumber?: number;
  discNumber?: number;
  year?: number;
}

const DISC_FOLDER = /^(?:cd|disc|disk)\s*(\d{1,2})$/i;
/** `01 - Title`, `01. Title`, `01 Title`, `1-02 Title` (disc 1, track 2), `01_Title`. */
const NUMBERED = /^(?:(\d{1,2})-(\d{1,3})|(\d{1,3}))(?:\s*[-.)_]\s*|\s+)(\S.*)$/u;
const YEAR_FIRST = /^((?:19|20)\d{2})\s*-\s*(\S.*)$/u;
const YEAR_LAST = /^(\S.*?)\s*[([]((?:19|20)\d{2})[)\]]$/u;

function stem(name: string): string {
  const dot = name.lastIndexOf('.');
  const base = dot > 0 ? name.slice(0, dot) : name;
  // Underscores stand in for spaces only in names that have no spaces at all.
  return (base.includes(' ') ? base : base.replaceAll('_', ' ')).trim();
}

function albumFolder(name: string): { album: string; year?: number } {
  const first = YEAR_FIRST.exec(name);
  if (first) return { album: first[2]!.trim(), year: Number(first[1]) };
  const last = YEAR_LAST.exec(name);
  if (last) return { album: last[1]!.trim(), year: Number(last[2]) };
  return { album: name };
}

/**
 * Reads title, track/disc number, album, year and artist from a path. `segments` are the
 * import root's own name followed by the file's path below it, e.g.
 * `['Music', 'Björk', 'Debut (1993)', '01 - Human Behaviour.mp3']`.
 */
export function namesFromPath(segments: readonly string[]): PathNames {
  const folders = segments.slice(0, -1);
  let title = stem(segments.at(-1) ?? '');
  const names: Omit<PathNames, 'title'> = {};

  const numbered = NUMBERED.exec(title);
  if (numbered) {
    title = numbered[4]!.trim();
    names.trackNumber = Number(numbered[2] ?? numbered[3]);
    if (numbered[1]) names.discNumber = Number(numbered[1]);
  }
  const split = title.indexOf(' - ');
  if (split > 0 && split < title.length - 3) {
    names.artist = title.slice(0, split).trim();
    title = title.slice(split + 3).trim();
  }

  const disc = folders.length > 1 ? DISC_FOLDER.exec(folders.at(-1)!) : null;
  if (disc) {
    names.discNumber ??= Number(disc[1]);
    folders.pop();
  }
  const album = folders.at(-1);
  if (album) {
    const parsed = albumFolder(album);
    names.album = parsed.album;
    if (parsed.year) names.year = parsed.year;
  }
  const artist = folders.at(-2);
  if (artist) names.artist ??= artist;
  return { title: title || stem(segments.at(-1) ?? '') || 'Untitled', ...names };
}
