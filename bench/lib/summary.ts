import { formatFigure, formatTarget, markdownTable, passMark, type Figure } from './report';

/** What one bench script gave `bench/run-all.ts`. */
export interface BenchOutcome {
  bench: string;
  script: string;
  ok: boolean;
  exitCode: number | null;
  seconds: number;
  loadBefore: number;
  loadAfter: number;
  figures: Figure[];
  /** Why the bench has no (or only some) figures. */
  note?: string;
}

export interface RunSummary {
  startedAt: string;
  mode: 'full' | 'quick';
  machine: string;
  benches: BenchOutcome[];
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function counts(summary: RunSummary) {
  const figures = summary.benches.flatMap((b) => b.figures);
  return {
    figures: figures.length,
    pass: figures.filter((f) => f.pass === true).length,
    miss: figures.filter((f) => f.pass === false).length,
    failedBenches: summary.benches.filter((b) => !b.ok).map((b) => b.bench),
  };
}

function headline(summary: RunSummary): string {
  const c = counts(summary);
  const failed = c.failedBenches.length ? `; benches that failed: ${c.failedBenches.join(', ')}` : '';
  return `${c.figures} figures, ${c.pass} meet their target, ${c.miss} miss${failed}`;
}

const loadText = (b: BenchOutcome) => `load ${b.loadBefore.toFixed(1)} → ${b.loadAfter.toFixed(1)}`;

export function toMarkdown(summary: RunSummary): string {
  const rows = summary.benches.flatMap((b) =>
    b.figures.map((f) => [b.bench, f.name, formatFigure(f), f.unit, formatTarget(f.target, f.unit), passMark(f)]),
  );
  const benches = summary.benches.map((b) => [
    b.bench,
    b.ok ? 'ok' : `failed (exit ${b.exitCode})`,
    `${Math.round(b.seconds)} s`,
    loadText(b),
    b.note ?? '',
  ]);
  return [
    `# Benchmarks, ${summary.startedAt} (${summary.mode})`,
    '',
    `${summary.machine}. ${headline(summary)}.`,
    'Values are medians over repeated runs with the lowest and highest run in brackets; a single value had one run.',
    '',
    markdownTable(['bench', 'figure', 'median (min–max)', 'unit', 'target', 'result'], rows),
    '',
    '## Runs',
    '',
    markdownTable(['bench', 'status', 'time', 'load average (1 min)', 'note'], benches),
    '',
  ].join('\n');
}

/** Horizontal bars of value ÷ target (so different units share one axis); the line marks the target. */
export function barChart(figures: readonly Figure[]): string {
  const withTarget = figures.filter((f) => f.target && Number.isFinite(f.value) && f.target.value > 0);
  const rowHeight = 24;
  const labelWidth = 420;
  const barWidth = 360;
  const scale = 2; // bars run from 0 to twice the target
  const height = withTarget.length * rowHeight + 30;
  const x = (ratio: number) => labelWidth + Math.min(ratio, scale) * (barWidth / scale);
  const bars = withTarget.map((f, i) => {
    const y = 20 + i * rowHeight;
    const ratio = f.value / f.target!.value;
    const colour = f.pass ? '#2e8b57' : '#c0392b';
    const label = `${f.name}: ${formatFigure(f)} ${f.unit} (target ${formatTarget(f.target, f.unit)})`;
    return [
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end" font-size="12">${escapeHtml(f.name)}</text>`,
      `<rect x="${labelWidth}" y="${y + 3}" width="${(x(ratio) - labelWidth).toFixed(1)}" height="${rowHeight - 8}" fill="${colour}"><title>${escapeHtml(label)}</title></rect>`,
      `<text x="${x(ratio) + 4}" y="${y + 15}" font-size="11">${escapeHtml(`${formatFigure(f)} ${f.unit}`)}${ratio > scale ? ' ›' : ''}</text>`,
    ].join('');
  });
  const targetX = x(1);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${labelWidth + barWidth + 160}" height="${height}" role="img" aria-label="figures against their targets">`,
    `<text x="${targetX}" y="12" text-anchor="middle" font-size="11">target</text>`,
    ...bars,
    `<line x1="${targetX}" y1="16" x2="${targetX}" y2="${height - 6}" stroke="#333" stroke-dasharray="4 3"/>`,
    '</svg>',
  ].join('\n');
}

export function toHtml(summary: RunSummary): string {
  const rows = summary.benches
    .flatMap((b) =>
      b.figures.map(
        (f) =>
          `<tr class="${f.pass === false ? 'miss' : f.pass ? 'pass' : ''}"><td>${escapeHtml(b.bench)}</td><td>${escapeHtml(f.name)}</td>` +
          `<td class="num">${escapeHtml(formatFigure(f))}</td><td>${escapeHtml(f.unit)}</td><td>${escapeHtml(formatTarget(f.target, f.unit))}</td><td>${f.pass === null ? '—' : f.pass ? 'pass' : '<b>MISS</b>'}</td></tr>`,
      ),
    )
    .join('\n');
  const runs = summary.benches
    .map(
      (b) =>
        `<li><b>${escapeHtml(b.bench)}</b>: ${b.ok ? 'ok' : `failed (exit ${b.exitCode})`}, ${Math.round(b.seconds)} s, ${escapeHtml(loadText(b))}${b.note ? ` — ${escapeHtml(b.note)}` : ''}</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Alktunes benchmarks ${escapeHtml(summary.startedAt)}</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 4px 8px; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } tr.miss { background: #fdecea; } tr.pass { background: #eef8f1; }
</style></head><body>
<h1>Benchmarks, ${escapeHtml(summary.startedAt)} (${summary.mode})</h1>
<p>${escapeHtml(summary.machine)}. ${escapeHtml(headline(summary))}.<br>
Values are medians over repeated runs, lowest and highest run in brackets.</p>
<h2>Against target</h2>
<p>Bar = value ÷ target (bars stop at twice the target); green meets it, red misses it.</p>
${barChart(summary.benches.flatMap((b) => b.figures))}
<h2>All figures</h2>
<table><thead><tr><th>bench</th><th>figure</th><th>median (min–max)</th><th>unit</th><th>target</th><th>result</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<h2>Runs</h2>
<ul>
${runs}
</ul>
</body></html>
`;
}
