import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Puts a `setpriv` in `dir/bin` that records its options in `dir/setpriv-args` (one per line) and
 * runs the rest of its command line as is: changing users needs root, which tests don't have.
 * Returns the bin directory, to go first on PATH.
 */
export async function setprivStandIn(dir: string): Promise<string> {
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  await writeFile(
    join(bin, 'setpriv'),
    `#!/bin/sh\nprintf '%s\\n' "$@" > '${join(dir, 'setpriv-args')}'\nwhile [ "\${1#--}" != "$1" ]; do shift; done\nexec "$@"\n`,
  );
  await chmod(join(bin, 'setpriv'), 0o755);
  return bin;
}
