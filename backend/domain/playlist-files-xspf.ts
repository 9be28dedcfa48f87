import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { invalidInput } from './errors';
import {
  describeLocation,
  displayName,
  importedText,
  ourTrackId,
  relativeLocation,
  singleLine,
  TRACK_URI_PREFIX,
  type ExportedPlaylist,
  type ImportedItem,
  type ImportedPlaylist,
} from './playlist-files-model';

/** The five characters XML text and attributes can't hold as they are, and what stands for them. */
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const xmlText = (text: string) => singleLine(text).replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);

/**
 * XSPF version 1: per track its location relative to the playlist file (a URI, so each path
 * part is percent-encoded), our track URI as `<identifier>`, title, creator, album, track number
 * and duration in milliseconds, in the order the specification lists them.
 */
export function formatXspf(playlist: ExportedPlaylist): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<playlist version="1" xmlns="http://xspf.org/ns/0/">',
    `  <title>${xmlText(playlist.name)}</title>`,
    '  <trackList>',
  ];
  for (const track of playlist.tracks) {
    lines.push(
      '    <track>',
      `      <location>${xmlText(relativeLocation(track).map(encodeURIComponent).join('/'))}</location>`,
      `      <identifier>${xmlText(`${TRACK_URI_PREFIX}${track.id}`)}</identifier>`,
      `      <title>${xmlText(track.title)}</title>`,
      `      <creator>${xmlText(track.artist)}</creator>`,
      `      <album>${xmlText(track.album)}</album>`,
      ...(track.trackNumber ? [`      <trackNum>${track.trackNumber}</trackNum>`] : []),
      `      <duration>${Math.round(track.durationMs)}</duration>`,
      '    </track>',
    );
  }
  lines.push('  </trackList>', '</playlist>');
  return `${lines.join('\n')}\n`;
}

/**
 * Element names without namespace prefixes (`<xspf:track>` is `track`); text kept as strings
 * (a title "1999" stays text); the elements that may repeat always read as lists. The parser
 * expands no entity at all (`decodeXmlText` does XML's own five and character references), and
 * files with a DTD are refused before parsing: no entity of the file's own is ever defined,
 * expanded or fetched.
 */
const parserOptions = {
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name: string) => name === 'track' || name === 'location' || name === 'identifier',
  // XSPF's own elements nest four deep; this leaves room for extensions and refuses the rest.
  maxNestedTags: 100,
};
/** Made on the first import, so a bundle that only exports (the playlists function) leaves the parser out. */
let parser: XMLParser | undefined;

type XspfNode = Record<string, unknown>;

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML's predefined entities and character references (`&#233;`, `&#xE9;`); anything else stays as written. */
function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]+);/gi, (whole, name: string) => {
    if (!name.startsWith('#')) return XML_ENTITIES[name] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * CDATA sections as the escaped text they stand for, so that `decodeXmlText` gives back exactly
 * what a section holds (its `&amp;` stays as written) and text around it keeps its place.
 * Comments and processing instructions are matched too and left alone, so a `<![CDATA[` inside
 * one is not taken for a section. Run on well-formed XML only: every construct found is closed.
 */
const XML_MARKUP = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>/g;
const escapeCdata = (xml: string) =>
  xml.replace(XML_MARKUP, (whole, cdata: string | undefined) =>
    cdata === undefined ? whole : cdata.replace(/[&<>]/g, (c) => XML_ESCAPES[c]!),
  );

/** An element's text as written (locations and identifiers: `describeLocation` wants the whole path). */
const rawTextOf = (value: unknown): string | undefined => {
  if (typeof value === 'string') return decodeXmlText(value).trim() || undefined;
  if (value && typeof value === 'object' && '#text' in value) return rawTextOf((value as XspfNode)['#text']);
  return undefined;
};
const rawTextsOf = (value: unknown): string[] => (Array.isArray(value) ? value.flatMap((v) => rawTextOf(v) ?? []) : []);
/** A name: title, creator, album. */
const textOf = (value: unknown): string | undefined => {
  const text = rawTextOf(value);
  return text === undefined ? undefined : importedText(text) || undefined;
};

const isUrl = (location: string) => /^[a-z][a-z0-9+.-]*:/i.test(location);
/** A relative location is a URI reference: percent-encoded, unless a careless writer left it plain. */
function decodeUriPath(location: string): string {
  try {
    return decodeURIComponent(location);
  } catch {
    return location;
  }
}

/**
 * Reads XSPF (any namespace prefix); a file that is not well-formed XSPF is a 400. Stops after
 * `maxTracks + 1` tracks, as `parseM3u`.
 */
export function parseXspf(text: string, maxTracks = Infinity): ImportedPlaylist {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw invalidInput('XSPF files with a DTD or entity declarations are not accepted');
  if (XMLValidator.validate(text) !== true) throw invalidInput('The XSPF file is not well-formed XML');
  parser ??= new XMLParser(parserOptions);
  let root: XspfNode;
  try {
    root = parser.parse(escapeCdata(text)) as XspfNode;
  } catch {
    // Well-formed, but past what the parser takes: elements nested deeper than `maxNestedTags`.
    throw invalidInput('The XSPF file nests its elements too deeply, or is otherwise unreadable');
  }
  const playlist = root.playlist as XspfNode | undefined;
  if (!playlist || typeof playlist !== 'object') throw invalidInput('The XML file is not an XSPF playlist');
  const trackList = playlist.trackList as XspfNode | undefined;
  const tracks = (trackList && typeof trackList === 'object' ? (trackList.track as unknown[] | undefined) : undefined) ?? [];
  const items: ImportedItem[] = [];
  for (const node of tracks) {
    if (items.length > maxTracks) break;
    const item = itemOf(node);
    if (item) items.push(item);
  }
  const title = textOf(playlist.title);
  return { ...(title ? { title } : {}), items };
}

/** The track a `<track>` names; undefined when it has nothing to go by. */
function itemOf(node: unknown): ImportedItem | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const track = node as XspfNode;
  const [location] = rawTextsOf(track.location);
  const ours = rawTextsOf(track.identifier)
    .map(ourTrackId)
    .find((id) => id !== undefined);
  const named = { artist: textOf(track.creator), title: textOf(track.title), album: textOf(track.album) };
  const fromPath = location ? describeLocation(isUrl(location) ? location : decodeUriPath(location)) : {};
  const item = {
    ...fromPath,
    ...Object.fromEntries(Object.entries(named).filter(([, value]) => value !== undefined)),
  } as Pick<ImportedItem, 'artist' | 'title' | 'album'>;
  const text = importedText(
    named.title ? displayName(named.artist, named.title) : (location ?? (ours ? `${TRACK_URI_PREFIX}${ours}` : '')),
  );
  if (!text) return undefined;
  return { text, ...(ours ? { trackId: ours } : {}), ...item };
}
