import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * The short version of the load test (`npm run test:load` runs the full one: 200 listeners
 * for 5 minutes): a few listeners for a few seconds, with the same pass rule — no 5xx, no
 * connection error, and every playlist exactly as the acknowledged writes left it.
 */
describe('load test (short)', () => {
  it('serves simulated listeners without a server error and loses no acknowledged write', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'bench/load.ts', '--listeners=16', '--duration=15', '--think=300', '--ramp=3'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(output, output).toMatch(/5xx: 0, connection errors: 0/);
    expect(output).toMatch(/: 0 mismatches/);
    expect(output).toMatch(/Verified [1-9]\d* playlists/);
    expect(code, output).toBe(0);
  }, 120_000);
});
