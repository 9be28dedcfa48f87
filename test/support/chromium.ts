import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';
import { requirement } from './requirements';

/** Debian's Chromium (the binary, not the wrapper script); override with CHROMIUM_PATH. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';

/** For `describe.runIf(...)`: true when Chromium is here; otherwise skips loudly (fails in CI). */
export const chromiumAvailable = () =>
  requirement('Chromium', existsSync(chromiumPath) && chromiumPath, 'install Debian chromium: apt-get install -y chromium');

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  popupUrl: string;
}

/**
 * Headless Chromium with the unpacked extension loaded, in a persistent profile (so a second
 * launch on the same `profileDir` is a browser restart). The flags keep Chromium off the
 * network and let audio start without a gesture.
 */
export async function launchWithExtension(profileDir: string, extensionDir: string): Promise<ExtensionBrowser> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: false,
    ignoreDefaultArgs: ['--disable-extensions'],
    viewport: { width: 380, height: 560 },
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  return { context, extensionId, popupUrl: `chrome-extension://${extensionId}/popup.html` };
}
