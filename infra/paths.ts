import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root; every entry and asset path in the stacks is resolved against it. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
