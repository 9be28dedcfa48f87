import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../../test/support/statistics';

/** Rounds for display: whole numbers from 100 up, otherwise up to `digits` significant digits. */
export function round(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return String(Number(value.toPrecision(digits)));
}

/** `median (min–max)` of several runs, or just the value when there was one run. */
export function withSpread(values: readonly number[], digits = 3): string {
  if (values.length === 1) return round(values[0]!, digits);
  return `${round(median(values), digits)} (${round(Math.min(...values), digits)}–${round(Math.max(...values), digits)})`;
}

/** A Markdown table, so a run's output can be pasted into a README as is. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The machine a figure was measured on, for the record next to it. */
export function machineNote(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

/**
 * The 1-minute load average, with a warning on stderr when other work already keeps the cores
 * busy: figures taken then measure the neighbours as much as the code.
 */
export function loadNote(): string {
  const load = loadavg()[0]!;
  if (load > cpus().length / 2)
    console.error(`⚠ load average ${load.toFixed(1)} on ${cpus().length} cores: other processes will skew these figures`);
  return `load average ${load.toFixed(1)}`;
}

/** True when the 1-minute load average exceeds the CPU count: other work was queuing for the cores, rerun. */
export function noisyLoad(load = loadavg()[0]!, cores = cpus().length): boolean {
  return load > cores;
}

/**
 * What a product adds over its floor measured in the same runs: the median of the runs' own
 * differences (product − floor, run by run), so a slow moment that hit both cancels out.
 */
export function addedOverFloor(product: readonly number[], floor: readonly number[]): number {
  return median(pairedDifferences(product, floor));
}

/** product − floor, run by run (both measured in each run, in the same order). */
export function pairedDifferences(product: readonly number[], floor: readonly number[]): number[] {
  if (product.length !== floor.length) throw new Error(`need pairs: ${product.length} product runs, ${floor.length} floor runs`);
  return product.map((value, i) => value - floor[i]!);
}

/** Saves a run's figures as `bench/results/<name>-<timestamp>.json` and returns the path. */
export async function saveResults(name: string, data: unknown): Promise<string> {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify({ machine: machineNote(), ...(data as object) }, null, 2)}\n`);
  return file;
}

/** A goal a figure is held to, e.g. `{ op: '<', value: 1000 }` for "under 1 s". */
export interface Target {
  op: '<' | '<=' | '>' | '>=';
  value: number;
}

/**
 * One reported figure, machine-readable: the median of its runs (`value`), the spread of those
 * runs, its target and whether the median meets it (null when it has no target).
 */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  target: Target | null;
  pass: boolean | null;
  spread: { min: number; max: number; runs: number } | null;
}

export function meets(value: number, target: Target): boolean {
  switch (target.op) {
    case '<':
      return value < target.value;
    case '<=':
      return value <= target.value;
    case '>':
      return value > target.value;
    case '>=':
      return value >= target.value;
  }
}

/** A figure from the values of several runs (their median), optionally held to `target`. */
export function figure(name: string, values: readonly number[], unit: string, target?: Target): Figure {
  const finite = values.filter(Number.isFinite);
  const value = finite.length ? median(finite) : Number.NaN;
  return {
    name,
    value,
    unit,
    target: target ?? null,
    pass: target && finite.length ? meets(value, target) : target ? false : null,
    spread: finite.length > 1 ? { min: Math.min(...finite), max: Math.max(...finite), runs: finite.length } : null,
  };
}

export const formatTarget = (target: Target | null, unit = '') =>
  target ? `${{ '<': '<', '<=': '≤', '>': '>', '>=': '≥' }[target.op]} ${round(target.value)}${unit ? ` ${unit}` : ''}` : '';

/** `median (min–max)` of a figure, for tables. */
export const formatFigure = (f: Figure) =>
  Number.isNaN(f.value) ? 'n/a' : f.spread ? `${round(f.value)} (${round(f.spread.min)}–${round(f.spread.max)})` : round(f.value);

export const passMark = (f: Figure) => (f.pass === null ? '—' : f.pass ? '✅ pass' : '❌ miss');

/** Environment variable through which `bench/run-all.ts` tells each bench where to write its figures. */
export const figuresFileVariable = 'BENCH_FIGURES_FILE';

/**
 * Reports a bench's figures: a Markdown table on stdout, and, when run by `bench/run-all.ts`,
 * the list as JSON in the file it named (`BENCH_FIGURES_FILE`).
 */
export async function emitFigures(bench: string, figures: readonly Figure[]): Promise<void> {
  console.log(
    `\n${markdownTable(
      ['figure', 'median (min–max)', 'unit', 'target', ''],
      figures.map((f) => [f.name, formatFigure(f), f.unit, formatTarget(f.target, f.unit), passMark(f)]),
    )}\n`,
  );
  const file = process.env[figuresFileVariable];
  if (file) await writeFile(file, `${JSON.stringify({ bench, figures }, null, 2)}\n`);
}
