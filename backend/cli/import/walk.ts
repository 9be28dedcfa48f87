import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import { isSidecarFile } from './formats';
import { notAudio, type FileOutcome } from './summary';

/** A file found under the import root, checked to lie inside it. */
export interface FoundFile {
  /** Resolved path to open: symlinks followed, inside the root. */
  realPath: string;
  /** Path below the root as the user sees it (through linked folders), `/`-separated. */
  relPath: string;
  /** `relPath` of the folder holding it (`''` for the root). */
  folder: string;
  name: string;
  size: number;
}

export interface LibraryListing {
  /** The root folder's own name (the album or artist of files lying directly in it). */
  rootName: string;
  /** Files to parse, in a stable order. */
  files: FoundFile[];
  /** Images by folder, candidates for cover art. */
  images: Map<string, FoundFile[]>;
  /** Entries dropped while walking (links out of the root, loops, special files, unreadable folders). */
  dropped: FileOutcome[];
}

const IMAGE = /\.(jpe?g|png|gif|webp)$/i;

/** Walking cannot start: the root is missing or not a folder. */
export class RootError extends Error {
  override name = 'RootError';
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/**
 * Lists a music folder without trusting it: symlinks are followed only to targets inside the
 * root, each real folder is entered once (so link loops end), and only regular files are
 * returned (a FIFO would block a read forever). Nothing under the root is opened for reading.
 */
export async function walkLibrary(root: string): Promise<LibraryListing> {
  let realRoot: string;
  try {
    realRoot = await realpath(root);
    if (!(await stat(realRoot)).isDirectory()) throw new RootError(`${root} is not a folder`);
  } catch (error) {
    if (error instanceof RootError) throw error;
    throw new RootError(`cannot open ${root}: ${errorCode(error)}`);
  }
  const inside = (path: string) => path === realRoot || path.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
  const listing: LibraryListing = { rootName: basename(realRoot), files: [], images: new Map(), dropped: [] };
  const seenFolders = new Set<string>([realRoot]);
  const seenFiles = new Set<string>();
  const folders: { real: string; rel: string }[] = [{ real: realRoot, rel: '' }];
  const links: { path: string; rel: string; folder: string; name: string }[] = [];
  const skip = (path: string, reason: string) => listing.dropped.push({ kind: 'skipped', path, reason });

  const addFolder = (real: string, rel: string, viaLink: boolean) => {
    if (!seenFolders.has(real)) {
      seenFolders.add(real);
      folders.push({ real, rel });
    } else if (viaLink) skip(rel, 'symlink loop (folder already listed)');
  };
  const addFile = async (real: string, rel: string, folder: string, name: string) => {
    if (seenFiles.has(real)) return skip(rel, 'same file listed twice (symlink)');
    seenFiles.add(real);
    let size: number;
    try {
      size = (await stat(real)).size;
    } catch (error) {
      return void listing.dropped.push({ kind: 'failed', path: rel, reason: `cannot read file: ${errorCode(error)}` });
    }
    const file: FoundFile = { realPath: real, relPath: rel, folder, name, size };
    if (IMAGE.test(name)) listing.images.set(folder, [...(listing.images.get(folder) ?? []), file]);
    else if (isSidecarFile(name)) listing.dropped.push(notAudio(rel));
    else if (size === 0) skip(rel, 'empty file');
    else listing.files.push(file);
  };
  const followLink = async (link: (typeof links)[number]) => {
    let real: string;
    try {
      real = await realpath(link.path);
    } catch (error) {
      return skip(link.rel, errorCode(error) === 'ELOOP' ? 'symlink loop' : 'broken symlink');
    }
    if (!inside(real)) return skip(link.rel, 'symlink points outside the import folder');
    const target = await stat(real).catch(() => undefined);
    if (target?.isDirectory()) addFolder(real, link.rel, true);
    else if (target?.isFile()) await addFile(real, link.rel, link.folder, link.name);
    else skip(link.rel, 'not a regular file');
  };

  // The real tree first, links after: a file reachable both ways is listed under its real
  // path, and a link only adds what the real tree lacks.
  while (folders.length || links.length) {
    const folder = folders.pop();
    if (!folder) {
      await followLink(links.shift()!);
      continue;
    }
    let entries: Dirent[];
    try {
      entries = await readdir(folder.real, { withFileTypes: true });
    } catch (error) {
      listing.dropped.push({ kind: 'failed', path: folder.rel || '.', reason: `cannot read folder: ${errorCode(error)}` });
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const mark = folders.length;
    for (const entry of entries) {
      const rel = folder.rel ? `${folder.rel}/${entry.name}` : entry.name;
      const path = join(folder.real, entry.name);
      if (entry.name.startsWith('.')) skip(rel, entry.isDirectory() ? 'hidden folder' : 'hidden file');
      else if (entry.isSymbolicLink()) links.push({ path, rel, folder: folder.rel, name: entry.name });
      else if (entry.isDirectory()) addFolder(path, rel, false);
      else if (entry.isFile()) await addFile(path, rel, folder.rel, entry.name);
      else skip(rel, 'not a regular file');
    }
    // Depth-first in name order: the stack pops the last pushed, so push subfolders reversed.
    folders.push(...folders.splice(mark).reverse());
  }
  return listing;
}
