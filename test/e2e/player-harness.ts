import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startLocalStack, type LocalStack } from '../../backend/local/stack';
import type { MediaStatus } from '../../extension/player/messages';
import type { PlayerState } from '../../extension/player/player-state';
import { launchWithExtension } from '../support/chromium';
import { sharedDynamoDb } from '../support/shared-dynamodb';

/** More Chromium switches from CHROMIUM_EXTRA_ARGS (space-separated), e.g. to record a trace. */
const extraArgs = () => process.env.CHROMIUM_EXTRA_ARGS?.split(' ').filter(Boolean) ?? [];

/**
 * A local stack, the extension built against it and a Chromium profile with it loaded, plus
 * probes that read the player from an extension page (so they never wake the service worker).
 */
export class PlayerHarness {
  stack!: LocalStack;
  context!: BrowserContext;
  extensionId = '';
  private dataDir = '';
  private probePage?: Page;

  async start(): Promise<void> {
    this.dataDir = await mkdtemp(path.join(tmpdir(), 'alktunes-player-'));
    this.stack = await startLocalStack({
      dataDir: path.join(this.dataDir, 'stack'),
      ports: { auth: 0, api: 0, s3: 0, dynamodb: 0 },
      buildExtension: true,
      ...sharedDynamoDb('player'),
    });
    await this.launch();
  }

  /** Starts Chromium on the same profile (again, for the restart case). */
  async launch(): Promise<void> {
    const browser = await launchWithExtension(path.join(this.dataDir, 'profile'), this.stack.extension.chrome!, extraArgs());
    this.context = browser.context;
    this.extensionId = browser.extensionId;
    this.probePage = undefined;
  }

  async close(): Promise<void> {
    await this.context?.close();
  }

  async stop(): Promise<void> {
    await this.close();
    await this.stack?.stop();
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
  }

  async openPopup(): Promise<Page> {
    const page = await this.context.newPage();
    await page.goto(`chrome-extension://${this.extensionId}/popup.html`);
    return page;
  }

  /** Signs in through the popup and waits for the catalog; returns the open popup. */
  async signIn(): Promise<Page> {
    const page = await this.openPopup();
    await page.getByTestId('auth-email').fill(this.stack.demo.email);
    await page.getByTestId('auth-password').fill(this.stack.demo.password);
    await page.getByTestId('auth-submit').click();
    await page.getByTestId('home-track').nth(5).waitFor({ timeout: 30_000 });
    return page;
  }

  /** An extension page (the options page) to evaluate `chrome.*` calls in. */
  async probe(): Promise<Page> {
    if (!this.probePage || this.probePage.isClosed()) {
      this.probePage = await this.context.newPage();
      await this.probePage.goto(`chrome-extension://${this.extensionId}/options.html`);
    }
    return this.probePage;
  }

  async eval<T>(script: string, arg?: unknown): Promise<T> {
    return (await this.probe()).evaluate(script.includes('=>') ? `(${script})(${JSON.stringify(arg)})` : script) as Promise<T>;
  }

  /** Sends one message of the contract, as the popup would, and unwraps the reply. */
  async send(type: string, data: unknown = {}): Promise<PlayerState> {
    const reply = await this.eval<{ ok: boolean; value: PlayerState; error?: unknown }>(
      `async ([type, data]) => chrome.runtime.sendMessage({ type, data })`,
      [type, data],
    );
    if (!reply?.ok) throw new Error(`${type} failed: ${JSON.stringify(reply)}`);
    return reply.value;
  }

  /** The stored player state. */
  state(): Promise<PlayerState> {
    return this.eval(`async () => (await chrome.storage.local.get('player')).player`);
  }

  /** How many offscreen documents exist and what the playing `<audio>` says. */
  offscreen(): Promise<{ documents: number; media?: MediaStatus }> {
    return this.eval(`async () => {
      const contexts = await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] });
      if (contexts.length === 0) return { documents: 0 };
      const reply = await chrome.runtime.sendMessage({ type: 'offscreen/status', data: {} });
      return { documents: contexts.length, media: reply?.value };
    }`);
  }

  /** Stops every service worker, as Chrome does after ~30 s idle. */
  async stopServiceWorkers(): Promise<void> {
    const cdp = await this.context.newCDPSession(await this.probe());
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await cdp.detach();
  }
}
