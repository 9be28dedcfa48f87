import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { TestProject } from 'vitest/node';
import { synthesizeCloudAssembly } from './cloud-assembly';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Directory of the cloud assembly synthesized with the default context (`cdk.json`'s values). */
    cloudAssemblyDir: string;
  }
}

/** Synthesizes the app once for every deploy rehearsal suite (bundling takes a while). */
export default function setup(project: TestProject) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'alktunes-cdk-out-'));
  synthesizeCloudAssembly(outdir);
  project.provide('cloudAssemblyDir', outdir);
  return () => rmSync(outdir, { recursive: true, force: true });
}
