import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoHomeRepository } from '../../backend/adapters/dynamodb/home-repository.dynamodb';
import { runImport, type ImportDeps } from '../../backend/cli/import/importer';
import { startImportTarget, writeLibrary } from '../../backend/cli/import/testing';
import { walkLibrary } from '../../backend/cli/import/walk';
import type { TrackRecord } from '../../backend/domain/catalog';
import { mp3File } from '../support/audio-fixtures';
import { sharedDynamoDb } from '../support/shared-dynamodb';

const run = promisify(execFile);
const song = (title: string, seed: number) => mp3File({ title, artists: ['Paths'], album: 'Odd' }, { seed, frames: 6 });

describe('import: untrusted paths', () => {
  let dir: string;
  let root: string;
  let env: Awaited<ReturnType<typeof startImportTarget>>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alktunes-import-paths-'));
    env = await startImportTarget(dir, sharedDynamoDb('import-paths'));
    root = await writeLibrary(join(dir, 'lib'), {
      'Odd/with spaces & ünïcödé ✓.mp3': song('spaces', 1),
      'Odd/line\nbreak.mp3': song('newline', 2),
      'Odd/-rf --dry-run.mp3': song('dashes', 3),
      'Odd/.DS_Store': 'finder',
    });
    await writeLibrary(join(dir, 'elsewhere'), { 'secret.mp3': song('outside', 4) });
    await symlink('..', join(root, 'Odd', 'loop'));
    await symlink(join(dir, 'elsewhere'), join(root, 'escape'));
    await symlink(join(dir, 'elsewhere', 'secret.mp3'), join(root, 'Odd', 'secret-link.mp3'));
    await symlink(join(root, 'Odd', 'with spaces & ünïcödé ✓.mp3'), join(root, 'alias.mp3'));
    await symlink(join(dir, 'missing.mp3'), join(root, 'dangling.mp3'));
    await mkdir(join(root, 'Linked'));
    await symlink(join(root, 'Odd'), join(root, 'Linked', 'odd-again'));
    execFileSync('mkfifo', [join(root, 'Odd', 'pipe.mp3')]);
  });
  afterAll(async () => {
    await env?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('stays inside the root, ends link loops and skips special files', async () => {
    const listing = await walkLibrary(root);
    expect(listing.files.map((f) => f.relPath).sort()).toEqual([
      'Odd/-rf --dry-run.mp3',
      'Odd/line\nbreak.mp3',
      'Odd/with spaces & ünïcödé ✓.mp3',
    ]);
    const reasons = Object.fromEntries(listing.dropped.map((d) => [d.path, d.kind === 'skipped' ? d.reason : d.kind]));
    expect(reasons).toMatchObject({
      escape: 'symlink points outside the import folder',
      'Odd/secret-link.mp3': 'symlink points outside the import folder',
      'Odd/loop': 'symlink loop (folder already listed)',
      'Linked/odd-again': 'symlink loop (folder already listed)',
      'alias.mp3': 'same file listed twice (symlink)',
      'dangling.mp3': 'broken symlink',
      'Odd/pipe.mp3': 'not a regular file',
      'Odd/.DS_Store': 'hidden file',
    });
  });

  it('imports files with odd names and reports the rest', async () => {
    const indexed: TrackRecord[] = [];
    const deps: ImportDeps = {
      ...env.deps,
      searchIndex: { description: 'test', updateSearchIndex: async (r) => void indexed.push(...r), finish: async () => {} },
    };
    const summary = await runImport(deps, { root, dryRun: false, concurrency: 3 });
    expect(summary.counts).toEqual({ imported: 3, unchanged: 0, skipped: 8, failed: 0 });
    expect(indexed.map((t) => t.title).sort()).toEqual(['dashes', 'newline', 'spaces']);
  });

  it('refuses a root that is not a folder', async () => {
    await expect(runImport(env.deps, { root: join(dir, 'nope'), dryRun: false, concurrency: 1 })).rejects.toThrow(
      /cannot open .*nope: ENOENT/,
    );
  });
});

describe('import: the command', () => {
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    run(process.execPath, ['--import', 'tsx', 'backend/cli/import.ts', ...args], {
      env: { ...process.env, MEDIA_BUCKET: '', TRACKS_TABLE: '', ...env },
    }).then(
      (out) => ({ code: 0, ...out }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
  let dir: string;
  let target: Awaited<ReturnType<typeof startImportTarget>>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alktunes-import-cli-'));
    target = await startImportTarget(dir, sharedDynamoDb('import-cli'));
  });
  afterAll(async () => {
    await target?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('says to start the local stack when it is not running', async () => {
    const result = await cli([dir, '--data-dir', join(dir, 'no-stack')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/local stack is not running .*start it with npm start/);
  });

  it('explains bad arguments with the usage', async () => {
    const result = await cli(['--concurrency', 'lots', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--concurrency must be[\s\S]*Usage: npm run import/);
  });

  it('imports into the local stack named by stack.json and prints a summary', async () => {
    const dataDir = join(dir, 'data');
    await target.writeStackJson(dataDir);
    const root = await writeLibrary(join(dir, 'music'), {
      'A/B/01 One.mp3': song('one', 10),
      'A/B/junk.mp3': 'not audio',
      'A/B/tracks.json': '[]',
    });
    const first = await cli([root, '--data-dir', dataDir, '--no-progress']);
    expect(first.stdout).toMatch(/imported {2}A\/B\/01 One\.mp3/);
    expect(first.stdout).toMatch(/skipped {2}A\/B\/junk\.mp3: corrupt or truncated audio \(no audio stream/);
    // A file that is no audio at all is counted, not listed.
    expect(first.stdout).not.toContain('tracks.json');
    expect(first.stdout).toMatch(/imported: 1\n\s+unchanged: 0\n\s+skipped: {3}2\n(.*\n)*\s+not an audio file \(1\)\n\s+failed/);
    expect(first.stdout).toContain(`home feed: published with 1 tracks (home table ${target.homeTable})`);
    expect(first.code).toBe(0);
    const feed = await new DynamoHomeRepository(target.doc, target.homeTable).current();
    expect(feed?.sections.find((s) => s.id === 'for-you')?.trackIds).toHaveLength(1);
    const again = await cli([root, '--data-dir', dataDir, '--no-progress', '--dry-run']);
    expect(again.stdout).toMatch(/would import: 0\n\s+unchanged: 1/);
  });
});
