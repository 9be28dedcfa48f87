/*
 * The data folder of `npm start`, through the real start command: it holds the demo password
 * (stack.json), the users database and the signing keys, so only its owner may read it; and a
 * folder that another stack is using, or that cannot be written, is refused before anything
 * starts, in one line that says what to do.
 */
import { chmod, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortsEnv, startCommand, type StartCommandRun } from '../support/start-command';

/** The files of the data folder that hold secrets: the demo password, password hashes and refresh tokens, the signing keys. */
const secretFiles = ['stack.json', 'auth.sqlite', 'auth.sqlite-wal', 'auth.sqlite-shm', 'auth-keys.json', 'demo-account.json'];

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;
const modes = async (dir: string) => ({
  folder: await modeOf(dir),
  ...Object.fromEntries(await Promise.all(secretFiles.map(async (file) => [file, await modeOf(join(dir, file))]))),
});
const ownerOnly = { folder: 0o700, ...Object.fromEntries(secretFiles.map((file) => [file, 0o600])) };

/** The lines a failed start printed, without blank ones. */
const linesOf = (run: StartCommandRun) =>
  run
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '');

async function stopRun(run: StartCommandRun | undefined) {
  if (!run || run.child.exitCode !== null) return;
  run.child.kill('SIGINT');
  await run.exited;
}

/** Every file and folder below `dir` (and `dir`) without write permission, or with it again. */
async function setWritable(dir: string, writable: boolean) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const path of [dir, ...entries.map((entry) => join(entry.parentPath, entry.name))]) {
    const mode = await modeOf(path);
    await chmod(path, writable ? mode | 0o200 : mode & ~0o222);
  }
}

/**
 * Ways a data folder cannot be written. Root ignores file modes, so as root the start command
 * runs without the capabilities that let it (as any other user would run it).
 */
const readOnlyFolders = [
  {
    name: 'on a read-only file system',
    reason: 'read-only file system',
    // A read-only bind mount of the folder over itself, in a mount namespace of the start command's own.
    prepare: async (dir: string) => [
      'unshare',
      '--mount',
      '--map-root-user',
      'sh',
      '-c',
      'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"',
      dir,
    ],
    undo: async () => {},
  },
  {
    name: 'without write permission',
    reason: 'no write permission',
    prepare: async (dir: string) => {
      await setWritable(dir, false);
      return process.getuid?.() === 0 ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search,-fowner', '--'] : [];
    },
    undo: (dir: string) => setWritable(dir, true),
  },
];

describe('npm start and its data folder', () => {
  let root: string;
  let dataDir: string;
  let running: StartCommandRun | undefined;
  const start = (wrapper: string[] = []) => startCommand({ ...freePortsEnv, ALKTUNES_DATA_DIR: dataDir }, wrapper);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'alktunes-data-folder-'));
    // Not there yet: the start command creates it.
    dataDir = join(root, 'data');
  });
  afterAll(async () => {
    await stopRun(running);
    await setWritable(root, true).catch(() => {});
    await rm(root, { recursive: true, force: true });
  });

  it('creates the data folder 0700 and the files holding secrets 0600', async () => {
    running = start();
    await running.waitFor('Alktunes is up');
    expect(await modes(dataDir)).toEqual(ownerOnly);
  }, 120_000);

  it('refuses to start on a data folder another stack is using, in one line naming its process, and leaves that stack running', async () => {
    const stackJson = await readFile(join(dataDir, 'stack.json'), 'utf8');
    const second = start();
    expect(await second.exited).toBe(1);
    const [header, error, ...rest] = linesOf(second);
    expect(header).toMatch(/^Alktunes local stack — data in /);
    expect(error).toBe(
      `✗ The data folder ${dataDir} is in use by another Alktunes stack (process ${running!.child.pid}). Stop that one first (Ctrl-C in its terminal), or set ALKTUNES_DATA_DIR to another folder.`,
    );
    expect(rest).toEqual([]);
    // Detected before anything started: the running stack's address book and services are untouched.
    expect(await readFile(join(dataDir, 'stack.json'), 'utf8')).toBe(stackJson);
    const { auth, api } = JSON.parse(stackJson) as { auth: string; api: string };
    for (const url of [auth, api]) expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it('tightens a data folder and secret files readable by others when it starts', async () => {
    await stopRun(running);
    await chmod(dataDir, 0o755);
    for (const file of secretFiles) await chmod(join(dataDir, file), 0o644).catch(() => {}); // -wal/-shm may be gone after a clean stop
    running = start();
    await running.waitFor('Alktunes is up');
    expect(await modes(dataDir)).toEqual(ownerOnly);
    await stopRun(running);
  }, 120_000);

  it.each(readOnlyFolders)(
    'refuses to start on a data folder $name, in one line that says what to do',
    async ({ reason, prepare, undo }) => {
      const stackJson = await readFile(join(dataDir, 'stack.json'), 'utf8');
      try {
        const run = start(await prepare(dataDir));
        expect(await run.exited).toBe(1);
        const [header, error, ...rest] = linesOf(run);
        expect(header).toMatch(/^Alktunes local stack — data in /);
        expect(error).toMatch(
          new RegExp(
            `^✗ The data folder ${dataDir} cannot be written \\(${reason}\\b.*\\)\\. Make it writable, or set ALKTUNES_DATA_DIR to a folder you can write to\\.$`,
          ),
        );
        expect(rest).toEqual([]);
      } finally {
        await undo(dataDir);
      }
      expect(await readFile(join(dataDir, 'stack.json'), 'utf8')).toBe(stackJson);
    },
  );
});
