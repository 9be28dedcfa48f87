import { describe, expect, it } from 'vitest';
import { parseImportArgs, UsageError } from './args';

describe('parseImportArgs', () => {
  it('takes one folder and defaults the rest', () => {
    expect(parseImportArgs(['~/Music'], 8)).toEqual({
      help: false,
      args: { root: '~/Music', dryRun: false, concurrency: 8, verbose: false, progress: true },
    });
  });

  it('reads every option', () => {
    const parsed = parseImportArgs(
      [
        'lib',
        '--dry-run',
        '--concurrency',
        '3',
        '--stack-outputs',
        'out.json',
        '--region',
        'eu-west-1',
        '--data-dir',
        'd',
        '--verbose',
        '--no-progress',
      ],
      8,
    );
    expect(parsed).toEqual({
      help: false,
      args: {
        root: 'lib',
        dryRun: true,
        concurrency: 3,
        stackOutputs: 'out.json',
        region: 'eu-west-1',
        dataDir: 'd',
        verbose: true,
        progress: false,
      },
    });
  });

  it('shows help', () => {
    expect(parseImportArgs(['--help'], 1)).toEqual({ help: true });
  });

  it.each([
    [[], /missing the music folder/],
    [['a', 'b'], /one music folder/],
    [['a', '--concurrency', '0'], /--concurrency must be/],
    [['a', '--concurrency', 'many'], /--concurrency must be/],
    [['a', '--bogus'], /bogus/],
  ])('refuses %o', (argv, message) => {
    expect(() => parseImportArgs(argv, 4)).toThrow(UsageError);
    expect(() => parseImportArgs(argv, 4)).toThrow(message);
  });
});
