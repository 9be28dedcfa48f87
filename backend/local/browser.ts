import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const candidates = [
  process.env.CHROME_PATH,
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** A Chrome or Chromium binary on this machine, if there is one. */
export function findChrome(): string | undefined {
  return candidates.find((path): path is string => !!path && existsSync(path));
}

const hasDisplay = () => process.platform === 'darwin' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;

/**
 * Opens Chrome with the unpacked extension loaded, in a profile kept under the data folder.
 * Returns false (and does nothing) when there is no browser or no display.
 */
export function openBrowserWithExtension(extensionDir: string, dataDir: string): boolean {
  const chrome = findChrome();
  if (!chrome || !hasDisplay()) return false;
  const child = spawn(
    chrome,
    [
      `--user-data-dir=${join(dataDir, 'browser-profile')}`,
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-first-run',
      'chrome://extensions',
    ],
    { detached: true, stdio: 'ignore' },
  );
  child.on('error', () => {});
  child.unref();
  return true;
}
