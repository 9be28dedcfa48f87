/** What happened to one file of an import. */
export type FileOutcome =
  | { kind: 'imported'; path: string; trackId: string; bytes: number }
  | { kind: 'unchanged'; path: string; trackId: string }
  | { kind: 'skipped'; path: string; reason: string; quiet?: true }
  | { kind: 'failed'; path: string; reason: string };

/**
 * A file that is no audio at all (a text, a playlist, a JSON file): music folders are full of
 * them, so it is counted among the skipped files but not listed one by one. A file that looks
 * like audio and does not parse is skipped loudly instead, as corrupt or truncated.
 */
export const notAudio = (path: string): FileOutcome => ({ kind: 'skipped', path, reason: 'not an audio file', quiet: true });

/** Running totals of an import, shown on the progress bar and in the summary. */
export interface ImportCounts {
  imported: number;
  unchanged: number;
  skipped: number;
  failed: number;
}

export interface ImportSummary {
  counts: ImportCounts;
  /** Bytes read from the imported files (what MB/s is measured on). */
  bytes: number;
  skipped: { path: string; reason: string; quiet?: true }[];
  failed: { path: string; reason: string }[];
  /** Problems of the run as a whole, e.g. a search index batch that could not be written. */
  errors: string[];
  /** Files left untouched because the run was interrupted. */
  notProcessed: number;
  interrupted: boolean;
  dryRun: boolean;
  elapsedMs: number;
}

export function emptySummary(dryRun: boolean): ImportSummary {
  return {
    counts: { imported: 0, unchanged: 0, skipped: 0, failed: 0 },
    bytes: 0,
    skipped: [],
    failed: [],
    errors: [],
    notProcessed: 0,
    interrupted: false,
    dryRun,
    elapsedMs: 0,
  };
}

/** Adds one file's outcome to the summary (mutates it: the summary is the run's accumulator). */
export function record(summary: ImportSummary, outcome: FileOutcome): void {
  summary.counts[outcome.kind] += 1;
  if (outcome.kind === 'imported') summary.bytes += outcome.bytes;
  if (outcome.kind === 'skipped')
    summary.skipped.push({ path: outcome.path, reason: outcome.reason, ...(outcome.quiet && { quiet: true }) });
  if (outcome.kind === 'failed') summary.failed.push({ path: outcome.path, reason: outcome.reason });
}

/** 0 when everything that could be imported was; 1 when something failed; 130 when interrupted. */
export function exitCodeFor(summary: ImportSummary): number {
  if (summary.counts.failed > 0 || summary.errors.length > 0) return 1;
  return summary.interrupted ? 130 : 0;
}

/**
 * A path as one safe log line: names with newlines, tabs or other control characters are
 * quoted with escapes, so a file name can never forge or split a log line.
 */
export function displayPath(path: string): string {
  return /[\p{Cc}"]/u.test(path) ? JSON.stringify(path) : path;
}

/** Files grouped by reason, most first, each with up to `detail` paths; quiet reasons with their count only. */
function groupReasons(items: { path: string; reason: string; quiet?: true }[], detail: number): string[] {
  const byReason = new Map<string, string[]>();
  const quiet = new Set(items.filter((item) => item.quiet).map((item) => item.reason));
  for (const { path, reason } of items) byReason.set(reason, [...(byReason.get(reason) ?? []), path]);
  const lines: string[] = [];
  const loudFirst = ([a, pathsA]: [string, string[]], [b, pathsB]: [string, string[]]) =>
    Number(quiet.has(a)) - Number(quiet.has(b)) || pathsB.length - pathsA.length;
  for (const [reason, paths] of [...byReason].sort(loudFirst)) {
    lines.push(`    ${reason} (${paths.length})`);
    if (quiet.has(reason)) continue;
    for (const path of paths.slice(0, detail)) lines.push(`      ${displayPath(path)}`);
    if (paths.length > detail) lines.push(`      … and ${paths.length - detail} more`);
  }
  return lines;
}

const rate = (count: number, ms: number) => (ms > 0 ? (count / ms) * 1000 : 0);

/** The end-of-run report: counts, throughput, then skipped and failed files grouped by reason. */
export function formatSummary(summary: ImportSummary, options: { detail?: number } = {}): string {
  const detail = options.detail ?? 20;
  const { counts, elapsedMs } = summary;
  const seconds = (elapsedMs / 1000).toFixed(1);
  const done = counts.imported + counts.unchanged + counts.skipped + counts.failed;
  const lines = [
    summary.dryRun ? 'Dry run: nothing was written.' : summary.interrupted ? 'Import interrupted.' : 'Import finished.',
    `  ${summary.dryRun ? 'would import' : 'imported'}: ${counts.imported}`,
    `  unchanged: ${counts.unchanged}`,
    `  skipped:   ${counts.skipped}`,
    ...groupReasons(summary.skipped, detail),
    `  failed:    ${counts.failed}`,
    ...groupReasons(summary.failed, detail),
  ];
  if (summary.notProcessed > 0) lines.push(`  not processed: ${summary.notProcessed} (run the same command again to continue)`);
  for (const error of summary.errors) lines.push(`  error: ${error}`);
  lines.push(
    `  ${done} files in ${seconds} s (${rate(done, elapsedMs).toFixed(0)} files/s, ` +
      `${(rate(summary.bytes, elapsedMs) / 1e6).toFixed(1)} MB/s of new audio)`,
  );
  return lines.join('\n');
}
