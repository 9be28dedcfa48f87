import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startLocalStack, type LocalStack } from '../../backend/local/stack';
import { requirement } from './requirements';
import { sharedDynamoDb } from './shared-dynamodb';

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
 * network and let audio start without a gesture; `extraArgs` adds switches (a trace, say).
 */
export async function launchWithExtension(profileDir: string, extensionDir: string, extraArgs: string[] = []): Promise<ExtensionBrowser> {
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
      ...extraArgs,
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  return { context, extensionId, popupUrl: `chrome-extension://${extensionId}/popup.html` };
}

export interface ExtensionStack extends ExtensionBrowser {
  stack: LocalStack;
  /** Opens the popup in a new tab. */
  openPopup(): Promise<Page>;
  /** Closes the browser, stops the stack and deletes everything it wrote. */
  stop(): Promise<void>;
}

/**
 * A local stack on free ports with the extension built against it, and Chromium with that
 * build loaded; all data in a new temporary folder.
 */
export async function startExtensionStack(label: string): Promise<ExtensionStack> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `alktunes-${label}-`));
  let stack: LocalStack | undefined;
  try {
    stack = await startLocalStack({
      dataDir: path.join(dataDir, 'stack'),
      ports: { auth: 0, api: 0, s3: 0, dynamodb: 0 },
      buildExtension: true,
      ...sharedDynamoDb('chromium'),
    });
    const extensionDir = stack.extension.chrome;
    if (!extensionDir) throw new Error('the local stack did not build the extension');
    const browser = await launchWithExtension(path.join(dataDir, 'profile'), extensionDir);
    const running = stack;
    return {
      ...browser,
      stack: running,
      openPopup: async () => {
        const page = await browser.context.newPage();
        await page.goto(browser.popupUrl);
        return page;
      },
      stop: async () => {
        await browser.context.close();
        await running.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
