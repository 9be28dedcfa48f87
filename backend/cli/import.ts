#!/usr/bin/env tsx
/** Admin command: load a folder of music into the media bucket, the catalog and the search index. */
import { importCommand } from './import/main';

let interrupts = 0;
process.exitCode = await importCommand(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  onInterrupt(handler) {
    const listener = () => {
      if (++interrupts > 1) process.exit(130);
      handler();
    };
    process.on('SIGINT', listener);
    return () => process.off('SIGINT', listener);
  },
});
