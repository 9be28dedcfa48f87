import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startLocalStack, type LocalStack } from '../../backend/local/stack';
import type { MediaStatus } from '../../extension/player/messages';
import type { PlayerState } from '../../extension/player/player-state';
import { launchWithExtension } from '../support/chromium';
import { sharedDynamoDbUnderVitest, type SharedDynamoDb } from '../support/shared-dynamodb';

/** More Chromium switches from CHROMIUM_EXTRA_ARGS (space-separated), e.g. to record a trace. */
const extraArgs = () => process.env.CHROMIUM_EXTRA_ARGS?.split(' ').filter(Boolean) ?? [];

export interface PlayerHarnessOptions {
  /**
   * A DynamoDB Local to use and the prefix of this stack's tables in it. By default the test
   * run's shared one under Vitest; outside Vitest the stack starts (and stops) its own.
   */
  dynamodb?: Partial<SharedDynamoDb>;
  /**
   * Changes the built extension before Chromium loads it (e.g. adds a page a bench compares
   * with); returns the folder to load, by default the build itself.
   */
  prepareExtension?: (built: string, dataDir: string) => Promise<string>;
}

/**
 * A local stack, the extension built against it and a Chromium profile with it loaded, plus
 * probes that read the player from an extension page (so they never wake the service worker).
 */
export class PlayerHarness {
  stack!: LocalStack;
  context!: BrowserContext;
  extensionId = '';
  /** The unpacked extension Chromium loads. */
  extensionDir = '';
  private dataDir = '';
  private probePage?: Page;

  constructor(private options: PlayerHarnessOptions = {}) {}

  async start(): Promise<void> {
    this.dataDir = await mkdtemp(path.join(tmpdir(), 'alktunes-player-'));
    this.stack = await startLocalStack({
      dataDir: path.join(this.dataDir, 'stack'),
      ports: { auth: 0, api: 0, s3: 0, dynamodb: 0 },
      buildExtension: true,
      ...(this.options.dynamodb ?? sharedDynamoDbUnderVitest('player')),
    });
    const built = this.stack.extension.chrome!;
    this.extensionDir = this.options.prepareExtension ? await this.options.prepareExtension(built, this.dataDir) : built;
    await this.launch();
  }

  /** Starts Chromium on the same profile (again, for the restart case). */
  async launch(): Promise<void> {
    const browser = await launchWithExtension(path.join(this.dataDir, 'profile'), this.extensionDir, extraArgs());
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

  /**
   * How many offscreen documents exist, what the playing `<audio>` says, and every `<audio>` of
   * the document (in document order): its URL, whether it is paused and its `readyState`.
   */
  offscreen(): Promise<{ documents: number; media?: MediaStatus; audio?: { src: string; paused: boolean; readyState: number }[] }> {
    return this.eval(`async () => {
      const contexts = await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] });
      if (contexts.length === 0) return { documents: 0 };
      const reply = await chrome.runtime.sendMessage({ type: 'offscreen/status', data: {} });
      const view = chrome.extension.getViews().find((v) => v.location.pathname === '/offscreen.html');
      const audio = [...(view?.document.querySelectorAll('audio') ?? [])].map((el) => ({ src: el.src, paused: el.paused, readyState: el.readyState }));
      return { documents: contexts.length, media: reply?.value, audio };
    }`);
  }

  /**
   * What the audio host holds of each track, read without sending it a message: whether the
   * track's stream URL is cached, and the `readyState` of the offscreen document's `<audio>`
   * element loaded with it (-1 when none is; 4 = enough buffered to play through). An element
   * matches by the cached URL, or by `audioPaths[id]`, the path of the track's audio object
   * (the same under every presigned URL), so a URL since dropped from the cache still matches.
   */
  holds(trackIds: string[], audioPaths: Record<string, string> = {}): Promise<Record<string, { cached: boolean; readyState: number }>> {
    return this.eval(
      `async ([ids, paths]) => {
        const { 'stream-urls': urls = {} } = await chrome.storage.session.get('stream-urls');
        const offscreen = chrome.extension.getViews().find((view) => view.location.pathname === '/offscreen.html');
        const elements = offscreen ? [...offscreen.document.querySelectorAll('audio')].filter((el) => el.src) : [];
        return Object.fromEntries(ids.map((id) => {
          const url = urls[id]?.url && new URL(urls[id].url).href;
          const element = elements.find((el) => el.src === url || (paths[id] && new URL(el.src).pathname === paths[id]));
          return [id, { cached: !!url, readyState: element ? element.readyState : -1 }];
        }));
      }`,
      [trackIds, audioPaths],
    );
  }

  /** Stops every service worker, as Chrome does after ~30 s idle. */
  async stopServiceWorkers(): Promise<void> {
    const cdp = await this.context.newCDPSession(await this.probe());
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await cdp.detach();
  }
}
