import { relative } from 'node:path';
import { openBrowserWithExtension } from './browser';
import { portEnv, settingsFromEnv } from './config';
import { DataFolderInUseError, DataFolderNotWritableError } from './data-folder';
import { PortInUseError } from './net';
import { startLocalStack } from './stack';

const say = (line: string) => console.log(line);

async function main() {
  const settings = settingsFromEnv();
  say(`Alktunes local stack — data in ${relative(process.cwd(), settings.dataDir) || '.'}`);
  const started = Date.now();
  const stack = await startLocalStack({
    dataDir: settings.dataDir,
    host: settings.host,
    ports: settings.ports,
    databaseUrl: settings.databaseUrl,
    buildExtension: settings.buildExtension,
    authServer: { registration: settings.registration },
    log: say,
    requestLog: process.env.ALKTUNES_REQUEST_LOG === '1' ? (entry) => console.log(JSON.stringify(entry)) : undefined,
  });

  say(`\nAlktunes is up in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  say(`  Demo account: ${stack.demo.email} / ${stack.demo.password}`);
  say(`  Address book: ${relative(process.cwd(), settings.dataDir)}/stack.json`);
  if (stack.extension.chrome) {
    const opened = settings.openBrowser && openBrowserWithExtension(stack.extension.chrome, settings.dataDir);
    say(
      opened
        ? '  Opened Chromium with the extension loaded; pin Alktunes from the puzzle-piece menu.'
        : `  Load the extension: chrome://extensions → Developer mode → Load unpacked → ${stack.extension.chrome}`,
    );
  }
  say('Press Ctrl-C to stop; everything in the data folder is kept.');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      say('Forced exit.');
      process.exit(130);
    }
    stopping = true;
    say(`\n${signal}: stopping (press Ctrl-C again to force)…`);
    stack.stop().then(
      () => {
        say('Stopped cleanly.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`Stop failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof PortInUseError) {
    console.error(
      `\n✗ ${error.message}. Is another Alktunes stack running? Stop it, or set ${portEnv[error.service as keyof typeof portEnv] ?? 'the port variable'} to a free port.`,
    );
  } else if (error instanceof DataFolderInUseError) {
    console.error(`\n✗ ${error.message}. Stop that one first (Ctrl-C in its terminal), or set ALKTUNES_DATA_DIR to another folder.`);
  } else if (error instanceof DataFolderNotWritableError) {
    console.error(`\n✗ ${error.message}. Make it writable, or set ALKTUNES_DATA_DIR to a folder you can write to.`);
  } else {
    console.error(`\n✗ The local stack could not start: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.ALKTUNES_DEBUG === '1') console.error(error);
    else console.error('  (set ALKTUNES_DEBUG=1 for details)');
  }
  process.exit(1);
});
