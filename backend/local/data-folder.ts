import { access, chmod, constants, link, mkdir, open, readdir, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where the local stack keeps each of its files in the data folder. */
export function dataFolderFiles(dir: string) {
  return {
    /** The address book of the running stack (API.md), with the demo password. */
    addressBook: join(dir, 'stack.json'),
    /** Users, password hashes and refresh tokens (SQLite, with -wal and -shm beside it while open). */
    authDatabase: join(dir, 'auth.sqlite'),
    /** The auth server's private signing keys. */
    authKeys: join(dir, 'auth-keys.json'),
    demoAccount: join(dir, 'demo-account.json'),
    demoSeed: join(dir, 'demo-seed.json'),
    extension: join(dir, 'extension'),
    /** The id of the process running a stack on this folder. */
    lock: join(dir, 'stack.lock'),
  };
}

/** The files that hold secrets: readable by their owner only. */
function secretFiles(dir: string): string[] {
  const files = dataFolderFiles(dir);
  return [
    files.addressBook,
    files.authDatabase,
    `${files.authDatabase}-wal`,
    `${files.authDatabase}-shm`,
    files.authKeys,
    files.demoAccount,
  ];
}

/** Thrown when another running stack holds the data folder; carries a message fit for a terminal. */
export class DataFolderInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`The data folder ${dir} is in use by another Alktunes stack (process ${pid})`);
    this.name = 'DataFolderInUseError';
  }
}

/** Thrown when the data folder, or something in it, cannot be written; carries a message fit for a terminal. */
export class DataFolderNotWritableError extends Error {
  constructor(
    readonly dir: string,
    cause: NodeJS.ErrnoException,
    /** What could not be written, if not the folder itself. */
    path = dir,
  ) {
    const reason = cause.code === 'EROFS' ? 'read-only file system' : `no write permission on ${path}`;
    super(`The data folder ${dir} cannot be written (${reason})`, { cause });
    this.name = 'DataFolderNotWritableError';
  }
}

const NOT_WRITABLE = new Set(['EROFS', 'EACCES', 'EPERM']);

/** A failed write in the data folder as the error to show; `path` names what failed, if not the folder. */
function writeFailure(dir: string, error: unknown, path?: string): unknown {
  const cause = error as NodeJS.ErrnoException;
  return NOT_WRITABLE.has(cause.code ?? '') ? new DataFolderNotWritableError(dir, cause, path) : error;
}

/** A data folder this process holds until `release`. */
export interface DataFolderClaim {
  release(): Promise<void>;
}

/** Folders this process holds or is claiming (real paths), so a second stack in the same process is refused too. */
const heldHere = new Set<string>();

/**
 * Takes the data folder for one running stack, before anything is started in it: creates it,
 * or tightens it and the files holding secrets, to its owner only; locks it against a second
 * stack (the emulators' stores are not made to be shared); and checks that what the stack
 * writes in it can be written. Throws `DataFolderInUseError` or `DataFolderNotWritableError`,
 * which name what is wrong, instead of the emulators failing later with a stack trace.
 */
export async function claimDataFolder(dir: string): Promise<DataFolderClaim> {
  let folder: string;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    folder = await realpath(dir);
  } catch (error) {
    throw writeFailure(dir, error);
  }
  // Checked and marked with no await in between, so two claims in this process cannot both pass.
  if (heldHere.has(folder)) throw new DataFolderInUseError(dir, process.pid);
  heldHere.add(folder);
  try {
    await lock(folder, dir);
  } catch (error) {
    heldHere.delete(folder);
    throw writeFailure(dir, error);
  }
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    const { lock: file } = dataFolderFiles(folder);
    // The lock goes before the mark, so a claim made here meanwhile is refused rather than its lock removed.
    const found = await readLock(file).catch(() => undefined);
    if (found?.pid === process.pid) await unlink(file).catch(() => {});
    heldHere.delete(folder);
  };
  try {
    for (const path of [folder, ...secretFiles(folder)]) await removeAccessOfOthers(path);
    for (const path of await writtenPaths(folder)) await access(path, constants.W_OK);
  } catch (error) {
    await release();
    throw writeFailure(dir, error, (error as NodeJS.ErrnoException).path);
  }
  return { release };
}

/**
 * What a running stack writes in the folder, of what is there: the folder itself (new files and
 * atomic replacements), every folder in it (the emulators' stores, the built extension) and the
 * files it rewrites. The signing keys and the demo account are only read once made, so their
 * owner may have made them read-only.
 */
async function writtenPaths(folder: string): Promise<string[]> {
  const files = dataFolderFiles(folder);
  const rewritten = new Set([
    files.addressBook,
    files.authDatabase,
    `${files.authDatabase}-wal`,
    `${files.authDatabase}-shm`,
    files.demoSeed,
  ]);
  const entries = (await readdir(folder, { withFileTypes: true })).map((entry) => ({
    path: join(folder, entry.name),
    isFolder: entry.isDirectory(),
  }));
  return [folder, ...entries.filter(({ path, isFolder }) => isFolder || rewritten.has(path)).map(({ path }) => path)];
}

/**
 * Writes this process's id to the lock file, atomically: a hard link of a complete file either
 * takes the name or fails, so no reader sees it half written. A lock whose process is gone (the
 * stack was killed) is taken over. Hand-written rather than `proper-lockfile`: that library
 * tells a live lock from a stale one by its age, so after a crash the folder would stay "in use"
 * for its stale period, and it cannot say which process holds it.
 */
async function lock(folder: string, shownAs: string): Promise<void> {
  const { lock: file } = dataFolderFiles(folder);
  const mine = `${file}.${process.pid}`;
  await writeFile(mine, `${process.pid}\n`, { mode: 0o600 });
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await link(mine, file);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const found = await readLock(file);
      if (found?.pid !== undefined && isRunning(found.pid)) throw new DataFolderInUseError(shownAs, found.pid);
      if (attempt === 2) throw new Error(`Could not lock the data folder: ${file} keeps coming back; is another stack starting?`);
      if (found) await removeStaleLock(file, found);
    }
  } finally {
    await unlink(mine).catch(() => {});
  }
}

/** A lock file as read: the process id in it (undefined when it holds no number) and which file it was. */
interface LockFile {
  pid: number | undefined;
  dev: number;
  ino: number;
}

/** The lock file at `file`; undefined when there is none. */
async function readLock(file: string): Promise<LockFile | undefined> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!handle) return undefined;
  try {
    const { dev, ino } = await handle.stat();
    const pid = Number.parseInt(await handle.readFile('utf8'), 10);
    return { pid: Number.isInteger(pid) && pid > 0 ? pid : undefined, dev, ino };
  } finally {
    await handle.close();
  }
}

/**
 * Removes the stale lock that was read, and only that file: two starts may both find it stale,
 * and the slower one must not remove the lock the faster one has linked in its place. It is
 * renamed aside first (atomic: of two renames, one moves it and the other finds nothing or a
 * newer lock) and then compared with what was read; a newer lock moved by mistake is put back.
 */
async function removeStaleLock(file: string, stale: LockFile): Promise<void> {
  const aside = `${file}.stale.${process.pid}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const moved = await stat(aside);
    // A link, not a rename: if yet another start has taken the name meanwhile, that one keeps it.
    if (moved.dev !== stale.dev || moved.ino !== stale.ino) await link(aside, file).catch(() => {});
  } finally {
    await unlink(aside);
  }
}

/**
 * Whether the process that wrote a lock still runs. This process's own id does not count: a
 * second claim from this process is refused before the lock is read, so the lock was left by an
 * earlier process that had the same id (a restarted container).
 */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Drops group and other permissions from a file or folder, if it exists and has any. */
async function removeAccessOfOthers(path: string): Promise<void> {
  const mode = await stat(path).then(
    (stats) => stats.mode & 0o777,
    () => undefined,
  );
  if (mode !== undefined && (mode & 0o077) !== 0) await chmod(path, mode & 0o700);
}
