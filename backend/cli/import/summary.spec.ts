import { describe, expect, it } from 'vitest';
import { displayPath, emptySummary, exitCodeFor, formatSummary, record } from './summary';

describe('import summary', () => {
  it('counts outcomes and groups skipped and failed files by reason', () => {
    const summary = emptySummary(false);
    record(summary, { kind: 'imported', path: 'a.mp3', trackId: 't1', bytes: 2_000_000 });
    record(summary, { kind: 'unchanged', path: 'b.mp3', trackId: 't2' });
    record(summary, { kind: 'skipped', path: 'c.txt', reason: 'not audio' });
    record(summary, { kind: 'skipped', path: 'd.doc', reason: 'not audio' });
    record(summary, { kind: 'failed', path: 'e.mp3', reason: 'EACCES' });
    summary.elapsedMs = 1000;

    expect(summary.counts).toEqual({ imported: 1, unchanged: 1, skipped: 2, failed: 1 });
    const text = formatSummary(summary);
    expect(text).toContain('imported: 1');
    expect(text).toMatch(/not audio \(2\)\n\s+c\.txt\n\s+d\.doc/);
    expect(text).toMatch(/EACCES \(1\)\n\s+e\.mp3/);
    expect(text).toContain('5 files in 1.0 s (5 files/s, 2.0 MB/s');
  });

  it('counts files that are no audio at all without listing them', () => {
    const summary = emptySummary(false);
    record(summary, { kind: 'skipped', path: 'Album/notes.txt', reason: 'not an audio file', quiet: true });
    record(summary, { kind: 'skipped', path: 'Album/catalog.json', reason: 'not an audio file', quiet: true });
    record(summary, { kind: 'skipped', path: 'Album/01.mp3', reason: 'corrupt or truncated audio (no audio stream found)' });

    expect(summary.counts.skipped).toBe(3);
    const text = formatSummary(summary);
    expect(text).toMatch(
      /skipped: {3}3\n\s+corrupt or truncated audio \(no audio stream found\) \(1\)\n\s+Album\/01\.mp3\n\s+not an audio file \(2\)\n\s+failed/,
    );
    expect(text).not.toContain('notes.txt');
  });

  it('lists at most `detail` paths per reason', () => {
    const summary = emptySummary(false);
    for (let i = 0; i < 5; i++) record(summary, { kind: 'skipped', path: `f${i}`, reason: 'r' });
    expect(formatSummary(summary, { detail: 2 })).toContain('… and 3 more');
  });

  it('says so on a dry run and on an interrupted run', () => {
    expect(formatSummary(emptySummary(true))).toMatch(/^Dry run: nothing was written\.\n\s+would import: 0/);
    const interrupted = { ...emptySummary(false), interrupted: true, notProcessed: 7 };
    expect(formatSummary(interrupted)).toContain('not processed: 7 (run the same command again to continue)');
  });

  it('fails the exit code on failures and run errors, not on skips', () => {
    const summary = emptySummary(false);
    record(summary, { kind: 'skipped', path: 'x', reason: 'not audio' });
    expect(exitCodeFor(summary)).toBe(0);
    expect(exitCodeFor({ ...summary, interrupted: true })).toBe(130);
    expect(exitCodeFor({ ...summary, errors: ['search index'] })).toBe(1);
    record(summary, { kind: 'failed', path: 'y', reason: 'EIO' });
    expect(exitCodeFor(summary)).toBe(1);
  });

  it('quotes paths that could break a log line', () => {
    expect(displayPath('Artist/01 Song ✓.mp3')).toBe('Artist/01 Song ✓.mp3');
    expect(displayPath('a\nb.mp3')).toBe('"a\\nb.mp3"');
  });
});
