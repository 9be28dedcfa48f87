/*
 * A DynamoDB Local left running on a data folder. A start that ends normally, or in an error,
 * ends the Java process it started; one ended with SIGKILL runs no code at all, and Node cannot
 * ask the kernel to end a child with its parent (Linux's parent-death signal is not exposed).
 * Such an orphan keeps the database file open and its port taken, so the next start on the same
 * folder stops it first: it is found by the process id recorded in the folder, and stopped only
 * if that process is still DynamoDB Local on this very folder and the process that started it
 * is gone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Beside DynamoDB Local's own database file, which it ignores. */
const PID_FILE = 'dynamodb-local.pid';

/** The Java process and the process that started it (and should stop it). */
interface PidRecord {
  pid: number;
  owner: number;
}

/** Records the Java process running on `dir`, started by this process. */
export function recordDynamoDbLocal(dir: string, pid: number): void {
  writeFileSync(join(dir, PID_FILE), JSON.stringify({ pid, owner: process.pid } satisfies PidRecord));
}

/** Removes the record of `pid` after a normal stop; a record another start has written meanwhile stays. */
export function forgetDynamoDbLocal(dir: string, pid: number): void {
  if (readRecord(dir)?.pid === pid) rmSync(join(dir, PID_FILE), { force: true });
}

function readRecord(dir: string): PidRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(join(dir, PID_FILE), 'utf8')) as Partial<PidRecord>;
    const valid = (n: unknown): n is number => Number.isInteger(n) && (n as number) > 0;
    return valid(record.pid) && valid(record.owner) ? { pid: record.pid, owner: record.owner } : undefined;
  } catch {
    // None, or not ours to read: nothing is known to be running.
    return undefined;
  }
}

/** Whether `commandLine` (arguments joined by spaces) runs DynamoDB Local's jar on the folder `dir`. */
export function isDynamoDbLocalOn(commandLine: string, dir: string): boolean {
  return commandLine.includes('DynamoDBLocal.jar') && ` ${commandLine} `.includes(` -dbPath ${dir} `);
}

/**
 * The command line of process `pid`; undefined when there is no such process, when it has ended
 * and waits to be reaped (a zombie, which signal 0 still finds), or when it cannot be read here.
 */
export function commandLineOf(pid: number): string | undefined {
  if (process.platform === 'win32') return undefined;
  try {
    // Linux: the exact arguments, NUL-separated; empty for a zombie.
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() || undefined;
  } catch {
    if (existsSync('/proc/self')) return undefined;
  }
  // No /proc (macOS): `ps` shows a zombie as `<defunct>`, which matches no command line.
  const ps = spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
  return (ps.status === 0 && ps.stdout.trim()) || undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Another process runs DynamoDB Local on the folder: stopping it is its business. */
export class DynamoDbLocalInUseError extends Error {
  constructor(dir: string, record: PidRecord) {
    super(`DynamoDB Local (process ${record.pid}, started by process ${record.owner}) is already running on ${dir}`);
    this.name = 'DynamoDbLocalInUseError';
  }
}

/**
 * Stops the DynamoDB Local an earlier start left running on `dir`, if any (SIGTERM, which closes
 * its database file; SIGKILL if that has not ended it within `timeoutMs`), saying so in one
 * line. Refuses when the process that started it still runs.
 */
export async function stopOrphanedDynamoDbLocal(dir: string, log: (line: string) => void, timeoutMs = 10_000): Promise<void> {
  const record = readRecord(dir);
  const isOurs = () => {
    const commandLine = record && commandLineOf(record.pid);
    return commandLine !== undefined && isDynamoDbLocalOn(commandLine, dir);
  };
  // Gone, or its id now belongs to an unrelated process.
  if (!record || !isOurs()) return;
  if (record.owner === process.pid || isRunning(record.owner)) throw new DynamoDbLocalInUseError(dir, record);

  log(`Stopping DynamoDB Local (process ${record.pid}) left running on ${dir} by an earlier start that was killed`);
  const ended = async (waitMs: number) => {
    const deadline = Date.now() + waitMs;
    while (isOurs()) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return true;
  };
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(record.pid, name);
    } catch (error) {
      // ESRCH: it ended meanwhile.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  };
  signal('SIGTERM');
  if (await ended(timeoutMs)) return;
  signal('SIGKILL');
  if (!(await ended(5_000))) throw new Error(`DynamoDB Local (process ${record.pid}) on ${dir} did not end, even on SIGKILL`);
}
