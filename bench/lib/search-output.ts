import { figure, type Figure } from './report';

/**
 * Figures from `bench/search.ts`'s printed summary, for as long as that script prints instead
 * of calling `emitFigures`. It reads lines such as
 * `search through the local gateway (…): p50 1.20 ms  p95 2.30 ms  p99 3.40 ms  (median of 5 runs × 400 queries; target p95 < 25 ms: met)`
 * followed by `  p95 per run: 2.1, 2.3, 2.6`.
 */
export function searchFiguresFromOutput(output: string): Figure[] {
  const tracks = /Search benchmark: ([\d,]+) generated tracks/.exec(output)?.[1] ?? '?';
  const lines = output.split('\n');
  const figures: Figure[] = [];
  lines.forEach((line, i) => {
    const match = /^(.+?): p50 ([\d.]+) ms\s+p95 ([\d.]+) ms\s+p99 ([\d.]+) ms(?:.*target p95 < ([\d.]+) ms)?/.exec(line);
    if (!match) return;
    const [, label, p50, p95, p99, target] = match;
    const perRun = /p95 per run: (.+)$/.exec(lines[i + 1] ?? '')?.[1]?.split(',').map(Number);
    const name = (p: string) => `search ${p}, ${tracks} tracks — ${label!.replace(/\s*\(.*\)$/, '')}`;
    figures.push(figure(name('p50'), [Number(p50)], 'ms'));
    const p95Figure = figure(name('p95'), [Number(p95)], 'ms', target ? { op: '<', value: Number(target) } : undefined);
    if (perRun && perRun.length > 1 && perRun.every(Number.isFinite)) {
      p95Figure.spread = { min: Math.min(...perRun), max: Math.max(...perRun), runs: perRun.length };
    }
    figures.push(p95Figure, figure(name('p99'), [Number(p99)], 'ms'));
  });
  return figures;
}
