import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { ImportReporter } from './importer';
import { displayPath, type FileOutcome, type ImportCounts } from './summary';

interface Output {
  write(text: string): unknown;
}

/** Skipped files worth a look (not those that are no audio at all) and failed ones: always printed. */
const isProblem = (outcome: FileOutcome) => outcome.kind === 'failed' || (outcome.kind === 'skipped' && !outcome.quiet);

/** What a plain log line says per outcome. */
function line(outcome: FileOutcome, dryRun: boolean): string {
  const path = displayPath(outcome.path);
  switch (outcome.kind) {
    case 'imported':
      return `${dryRun ? 'would import' : 'imported'}  ${path}`;
    case 'unchanged':
      return `unchanged  ${path}`;
    case 'skipped':
      return `skipped  ${path}: ${outcome.reason}`;
    case 'failed':
      return `FAILED  ${path}: ${outcome.reason}`;
  }
}

const PROGRESS_EVERY_MS = 10_000;

/** One line per imported file and per problem, and a progress line every 10 s: for logs and CI. */
export function plainReporter(out: Output, options: { verbose: boolean; dryRun: boolean }): ImportReporter {
  let total = 0;
  let done = 0;
  let startedAt = 0;
  let lastProgress = 0;
  return {
    start(count) {
      total = count;
      startedAt = lastProgress = Date.now();
      out.write(`${count} files to look at\n`);
    },
    file(outcome) {
      done += 1;
      if (isProblem(outcome) || outcome.kind === 'imported' || options.verbose) out.write(`${line(outcome, options.dryRun)}\n`);
      const now = Date.now();
      if (now - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = now;
        const rate = done / ((now - startedAt) / 1000);
        out.write(`progress: ${done}/${total} (${Math.floor((done / total) * 100)}%), ${rate.toFixed(0)} files/s\n`);
      }
    },
    warn(message) {
      out.write(`warning: ${message}\n`);
    },
    stop() {},
  };
}

/** A progress bar with counts, rate and ETA; problems are printed above it. */
export function progressBarReporter(stream: NodeJS.WriteStream, options: { verbose: boolean; dryRun: boolean }): ImportReporter {
  const bars = new MultiBar(
    {
      stream,
      format:
        ' {bar} {percentage}% | {value}/{total} files | {speed} files/s | ETA {eta_formatted} | new {imported} · same {unchanged} · skipped {skipped} · failed {failed}',
      hideCursor: true,
      etaBuffer: 200,
      fps: 10,
    },
    Presets.shades_classic,
  );
  let bar: SingleBar | undefined;
  let startedAt = 0;
  let done = 0;
  const payload = (counts: Readonly<ImportCounts>) => ({
    ...counts,
    speed: (done / Math.max(0.001, (Date.now() - startedAt) / 1000)).toFixed(0),
  });
  return {
    start(total) {
      startedAt = Date.now();
      bar = bars.create(total, 0, payload({ imported: 0, unchanged: 0, skipped: 0, failed: 0 }));
    },
    file(outcome, counts) {
      done += 1;
      if (isProblem(outcome) || options.verbose) bars.log(`${line(outcome, options.dryRun)}\n`);
      bar?.increment(1, payload(counts));
    },
    warn(message) {
      bars.log(`warning: ${message}\n`);
    },
    stop() {
      bars.stop();
    },
  };
}
