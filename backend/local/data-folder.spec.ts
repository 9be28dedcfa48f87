import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimDataFolder, dataFolderFiles, DataFolderInUseError } from './data-folder';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'alktunes-data-folder-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

/** The id of a process that has exited: what a stack killed without stopping leaves in its lock. */
function exitedPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

/** As root, without the capabilities that let root write whatever the file modes say: as any other user. */
const asAnyUser = process.getuid?.() === 0 ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search,-fowner', '--'] : [];

const claimerScript = `import { createInterface } from 'node:readline';
import { claimDataFolder } from ${JSON.stringify(fileURLToPath(new URL('./data-folder.ts', import.meta.url)))};
console.log('ready');
for await (const dir of createInterface({ input: process.stdin })) {
  console.log(await claimDataFolder(dir).then(() => 'claimed', (error) => error.message));
}
`;

/**
 * Another process, run as any user but root, that claims each data folder written to it and
 * answers 'claimed' or the error's message; it holds what it claimed until it is stopped.
 */
async function startClaimer() {
  const script = join(root, 'claimer.mts');
  await writeFile(script, claimerScript);
  const [command, ...args] = [...asAnyUser, process.execPath, '--import', 'tsx', script];
  const child = spawn(command!, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextAnswer = async () => String((await answers.next()).value);
  expect(await nextAnswer()).toBe('ready');
  return {
    pid: child.pid!,
    claim: (dir: string) => {
      child.stdin.write(`${dir}\n`);
      return nextAnswer();
    },
    stop: async () => {
      child.stdin.end();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

describe('claimDataFolder', () => {
  it('creates the folder for its owner only and locks it with this process id until released', async () => {
    const dir = join(root, 'data');
    const claim = await claimDataFolder(dir);
    expect(await modeOf(dir)).toBe(0o700);
    const { lock } = dataFolderFiles(dir);
    expect(await readFile(lock, 'utf8')).toBe(`${process.pid}\n`);
    await claim.release();
    await expect(stat(lock)).rejects.toMatchObject({ code: 'ENOENT' });
    // Released, it can be claimed again.
    await (await claimDataFolder(dir)).release();
  });

  it('refuses a folder a running process holds, naming that process, also a second claim from this one', async () => {
    const dir = join(root, 'data');
    await mkdir(dir);
    const parent = process.ppid; // alive for as long as this test runs
    await writeFile(dataFolderFiles(dir).lock, `${parent}\n`);
    await expect(claimDataFolder(dir)).rejects.toEqual(new DataFolderInUseError(dir, parent));
    await rm(dataFolderFiles(dir).lock);

    const claim = await claimDataFolder(dir);
    await expect(claimDataFolder(dir)).rejects.toEqual(new DataFolderInUseError(dir, process.pid));
    await claim.release();
  });

  it('takes over the lock of a stack that exited without releasing it', async () => {
    const dir = join(root, 'data');
    await mkdir(dir);
    await writeFile(dataFolderFiles(dir).lock, `${exitedPid()}\n`);
    const claim = await claimDataFolder(dir);
    expect(await readFile(dataFolderFiles(dir).lock, 'utf8')).toBe(`${process.pid}\n`);
    await claim.release();
  });

  it('tightens an existing folder and the files that hold secrets to their owner, and leaves other files alone', async () => {
    const dir = join(root, 'data');
    await mkdir(dir, { mode: 0o755 });
    await chmod(dir, 0o755);
    const files = dataFolderFiles(dir);
    const secrets = [
      files.addressBook,
      files.authDatabase,
      `${files.authDatabase}-wal`,
      `${files.authDatabase}-shm`,
      files.authKeys,
      files.demoAccount,
    ];
    for (const file of [...secrets, files.demoSeed]) await writeFile(file, '{}', { mode: 0o644 });
    // A file its owner made read-only stays read-only.
    await chmod(files.authKeys, 0o444);

    const claim = await claimDataFolder(dir);
    expect(await modeOf(dir)).toBe(0o700);
    expect(await Promise.all(secrets.map(modeOf))).toEqual([0o600, 0o600, 0o600, 0o600, 0o400, 0o600]);
    expect(await modeOf(files.demoSeed)).toBe(0o644);
    await claim.release();
  });

  it('needs write permission on the folder and what the stack rewrites, not on the files it only reads', async () => {
    const claimer = await startClaimer();
    try {
      const readOnlyKeys = join(root, 'read-only-keys');
      const files = dataFolderFiles(readOnlyKeys);
      await mkdir(readOnlyKeys, { mode: 0o700 });
      for (const file of [files.authKeys, files.demoAccount]) await writeFile(file, '{}', { mode: 0o400 });
      await writeFile(files.addressBook, '{}', { mode: 0o600 });
      expect(await claimer.claim(readOnlyKeys)).toBe('claimed');

      const readOnlyAddressBook = join(root, 'read-only-address-book');
      await mkdir(readOnlyAddressBook, { mode: 0o700 });
      await writeFile(dataFolderFiles(readOnlyAddressBook).addressBook, '{}', { mode: 0o400 });
      expect(await claimer.claim(readOnlyAddressBook)).toMatch(
        /^The data folder \S+ cannot be written \(no write permission on \S+\/stack\.json\)$/,
      );

      const readOnlyStore = join(root, 'read-only-store');
      await mkdir(join(readOnlyStore, 'dynamodb'), { recursive: true, mode: 0o700 });
      await chmod(join(readOnlyStore, 'dynamodb'), 0o500);
      expect(await claimer.claim(readOnlyStore)).toMatch(
        /^The data folder \S+ cannot be written \(no write permission on \S+\/dynamodb\)$/,
      );
      await chmod(join(readOnlyStore, 'dynamodb'), 0o700);
    } finally {
      await claimer.stop();
    }
  });

  it('lets exactly one of two claims in this process take over a stale lock', async () => {
    const dir = join(root, 'data');
    await mkdir(dir);
    await writeFile(dataFolderFiles(dir).lock, `${exitedPid()}\n`);
    const outcomes = await Promise.allSettled([claimDataFolder(dir), claimDataFolder(dir)]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(outcomes.find((outcome) => outcome.status === 'rejected')?.reason).toEqual(new DataFolderInUseError(dir, process.pid));
    expect(await readFile(dataFolderFiles(dir).lock, 'utf8')).toBe(`${process.pid}\n`);
    for (const outcome of outcomes) if (outcome.status === 'fulfilled') await outcome.value.release();
  });

  it('lets exactly one of two stacks starting together take over a stale lock', async () => {
    const claimers = await Promise.all([startClaimer(), startClaimer()]);
    try {
      // Many rounds, since the two take over at nearly, not exactly, the same moment.
      for (let round = 0; round < 40; round++) {
        const dir = join(root, `data-${round}`);
        await mkdir(dir);
        await writeFile(dataFolderFiles(dir).lock, `${exitedPid()}\n`);
        const answers = await Promise.all(claimers.map((claimer) => claimer.claim(dir)));
        const winner = claimers[answers.indexOf('claimed')];
        expect(
          answers.filter((answer) => answer === 'claimed'),
          `round ${round}: ${answers.join(' / ')}`,
        ).toHaveLength(1);
        expect(answers).toContain(new DataFolderInUseError(dir, winner!.pid).message);
        expect(await readFile(dataFolderFiles(dir).lock, 'utf8')).toBe(`${winner!.pid}\n`);
      }
    } finally {
      await Promise.all(claimers.map((claimer) => claimer.stop()));
    }
  });
});
