import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { invalidInput } from './errors';
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

const textOf = (value: unknown): string | undefined => {
  if (typeof value === 'string') return decodeXmlText(value).trim() || undefined;
  if (value && typeof value === 'object' && '#text' in value) return textOf((value as XspfNode)['#text']);
  return undefined;
};
const textsOf = (value: unknown): string[] => (Array.isArray(value) ? value.flatMap((v) => textOf(v) ?? []) : []);

const isUrl = (location: string) => /^[a-z][a-z0-9+.-]*:/i.test(location);
/** A relative location is a URI reference: percent-encoded, unless a careless writer left it plain. */
function decodeUriPath(location: string): string {
  try {
    return decodeURIComponent(location);
  } catch {
    return location;
  }
}

/** Reads XSPF (any namespace prefix); a file that is not well-formed XSPF is a 400. */
export function parseXspf(text: string): ImportedPlaylist {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw invalidInput('XSPF files with a DTD or entity declarations are not accepted');
  if (XMLValidator.validate(text) !== true) throw invalidInput('The XSPF file is not well-formed XML');
  parser ??= new XMLParser(parserOptions);
  const root = parser.parse(text) as XspfNode;
  const playlist = root.playlist as XspfNode | undefined;
  if (!playlist || typeof playlist !== 'object') throw invalidInput('The XML file is not an XSPF playlist');
  const trackList = playlist.trackList as XspfNode | undefined;
  const tracks = (trackList && typeof trackList === 'object' ? (trackList.track as unknown[] | undefined) : undefined) ?? [];
  const items = tracks.flatMap((node): ImportedItem[] => {
    if (!node || typeof node !== 'object') return [];
    const track = node as XspfNode;
    const [location] = textsOf(track.location);
    const ours = textsOf(track.identifier).find((id) => id.startsWith(TRACK_URI_PREFIX));
    const named = { artist: textOf(track.creator), title: textOf(track.title), album: textOf(track.album) };
    const fromPath = location ? describeLocation(isUrl(location) ? location : decodeUriPath(location)) : {};
    const item = {
      ...fromPath,
      ...Object.fromEntries(Object.entries(named).filter(([, value]) => value !== undefined)),
    } as Pick<ImportedItem, 'artist' | 'title' | 'album'>;
    const text = named.title ? displayName(named.artist, named.title) : (location ?? ours);
    if (!text) return [];
    return [{ text, ...(ours ? { trackId: ours.slice(TRACK_URI_PREFIX.length) } : {}), ...item }];
  });
  const title = textOf(playlist.title);
  return { ...(title ? { title } : {}), items };
}
