/**
 * Import throughput: 2,000 small tagged MP3s (100 albums × 20 tracks, embedded covers) into a
 * fresh local stack, then the same folder again (everything unchanged). As with `npm start` and
 * `npm run import`, the stack runs in its own process; `--in-process=1` puts the emulators in
 * this one instead. Prints the median of `--runs` runs.
 *
 *   npx tsx bench/import.ts [--tracks=2000] [--runs=3] [--concurrency=N] [--in-process=1]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runImport } from '../backend/cli/import/importer';
import { DEFAULT_CONCURRENCY, depsFor } from '../backend/cli/import/main';
import { targetFromStackInfo } from '../backend/cli/import/target';
import { startImportTarget, writeLibrary } from '../backend/cli/import/testing';
import { mp3File, pngImage } from '../test/support/audio-fixtures';
import { numberOption } from './lib/options';
import { startStackProcess } from './lib/stack-process';
import { emitFigures, figure, loadNote, machineNote, markdownTable, saveResults, withSpread } from './lib/report';
import { median } from '../test/support/statistics';

const tracks = numberOption('tracks', 2000);
const runs = numberOption('runs', 3);
const concurrency = numberOption('concurrency', DEFAULT_CONCURRENCY);
const inProcess = numberOption('in-process', 0) === 1;

/** A fresh, empty target: a stack process (default) or emulators in this process. */
async function freshTarget(dataDir: string) {
  if (inProcess) return startImportTarget(dataDir);
  const stack = await startStackProcess(dataDir);
  return { deps: depsFor(targetFromStackInfo(stack.info)), stop: stack.stop };
}
const TARGET_TRACKS_PER_SECOND = 200;
const perAlbum = 20;

function library(): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < tracks; i++) {
    const album = Math.floor(i / perAlbum);
    const artist = `Artist ${album % 37}`;
    const cover = { mime: 'image/png', data: pngImage([album % 256, (album * 7) % 256, 90]) };
    const tags = {
      title: `Track ${i} — çà`,
      artists: [artist],
      album: `Album ${album}`,
      track: (i % perAlbum) + 1,
      year: 1990 + (album % 30),
      genre: 'Bench',
      cover,
    };
    files[`${artist}/Album ${album}/${String((i % perAlbum) + 1).padStart(2, '0')} Track ${i}.mp3`] = mp3File(tags, {
      seed: i,
      frames: 40,
    });
  }
  return files;
}

const dir = await mkdtemp(join(tmpdir(), 'alktunes-bench-import-'));
try {
  const files = library();
  const root = await writeLibrary(join(dir, 'library'), files);
  const megabytes = Object.values(files).reduce((sum, file) => sum + file.byteLength, 0) / 1e6;
  console.log(
    `${tracks} files, ${megabytes.toFixed(1)} MB, concurrency ${concurrency}, stack ${inProcess ? 'in this process' : 'in its own process'}; ${machineNote()}; ${loadNote()}`,
  );

  const fresh: { tracksPerSecond: number; mbPerSecond: number }[] = [];
  const again: number[] = [];
  for (let run = 1; run <= runs; run++) {
    const target = await freshTarget(join(dir, `target-${run}`));
    try {
      const first = await runImport(target.deps, { root, dryRun: false, concurrency });
      if (first.counts.imported !== tracks || first.errors.length)
        throw new Error(`run ${run}: ${JSON.stringify(first.counts)} ${first.errors.join('; ')}`);
      const seconds = first.elapsedMs / 1000;
      fresh.push({ tracksPerSecond: tracks / seconds, mbPerSecond: first.bytes / 1e6 / seconds });
      const second = await runImport(target.deps, { root, dryRun: false, concurrency });
      if (second.counts.unchanged !== tracks) throw new Error(`run ${run}: re-import changed ${JSON.stringify(second.counts)}`);
      again.push(tracks / (second.elapsedMs / 1000));
      console.log(
        `run ${run}: ${fresh.at(-1)!.tracksPerSecond.toFixed(0)} tracks/s, ${fresh.at(-1)!.mbPerSecond.toFixed(2)} MB/s; re-import ${again.at(-1)!.toFixed(0)} files/s`,
      );
    } finally {
      await target.stop();
    }
  }

  const tracksPerSecond = fresh.map((r) => r.tracksPerSecond);
  console.log(
    `\n${markdownTable(
      ['measure', `median of ${runs} (min–max)`, 'target'],
      [
        ['fresh import, tracks/s', withSpread(tracksPerSecond), `≥ ${TARGET_TRACKS_PER_SECOND}`],
        ['fresh import, MB/s', withSpread(fresh.map((r) => r.mbPerSecond)), ''],
        ['re-import (all unchanged), files/s', withSpread(again), ''],
      ],
    )}`,
  );
  const file = await saveResults('import', { tracks, megabytes, concurrency, runs: fresh, reimportFilesPerSecond: again });
  console.log(`results: ${file}`);
  await emitFigures('import', [
    figure(`import, fresh (${tracks} tracks)`, tracksPerSecond, 'tracks/s', { op: '>=', value: TARGET_TRACKS_PER_SECOND }),
    figure('re-import, all unchanged', again, 'files/s'),
  ]);
  if (median(tracksPerSecond) < TARGET_TRACKS_PER_SECOND) console.log(`below the ${TARGET_TRACKS_PER_SECOND} tracks/s target`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
