import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requirement } from './requirements';

/**
 * Headless Firefox driven over WebDriver BiDi (the protocol Firefox speaks natively; Node's
 * global WebSocket is the client), enough to load the Firefox build of the extension, open its
 * pages in tabs and run script in them and in its background page. Playwright's Firefox needs a
 * patched build; Debian's `firefox-esr` needs none of that.
 */

/** Debian's Firefox ESR; override with FIREFOX_PATH. */
export const firefoxPath = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** PulseAudio, the sound server Firefox plays into (a null sink: silent, but with a real clock). */
export const pulseAudioPath = process.env.PULSEAUDIO_PATH ?? '/usr/bin/pulseaudio';

/** For `describe.runIf(...)`: true when Firefox and PulseAudio are here; otherwise skips loudly (fails in CI). */
export const firefoxAvailable = () =>
  requirement(
    'Firefox',
    existsSync(firefoxPath) && existsSync(pulseAudioPath),
    'install Debian firefox-esr and pulseaudio: apt-get install -y firefox-esr pulseaudio',
  );

/** The internal uuid the extension gets in every test profile, so its pages have a known origin. */
const EXTENSION_UUID = '6d1c5c1e-3a4f-4bd2-9a51-0c7e1f0a7e55';

/**
 * Preferences of the test profile: the extension's fixed origin, downloads saved to
 * `downloadDir` without a dialog, and no network traffic of Firefox's own (updates, telemetry,
 * remote settings, first-run pages) to slow a run down.
 */
const userPrefs = (geckoId: string, downloadDir: string): Record<string, string | number | boolean> => ({
  'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: EXTENSION_UUID }),
  'browser.download.folderList': 2,
  'browser.download.dir': downloadDir,
  'browser.download.useDownloadDir': true,
  'browser.download.always_ask_before_handling_new_types': false,
  // Without a sound device Firefox fails every media element a moment after it starts (`error`,
  // MEDIA_ERR_DECODE); it plays into the test's PulseAudio instead.
  'media.cubeb.backend': 'pulse',
  'app.update.auto': false,
  'app.update.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.startup.page': 0,
  'browser.aboutwelcome.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'services.settings.server': 'http://127.0.0.1:9/',
  'network.connectivity-service.enabled': false,
  'network.captive-portal-service.enabled': false,
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'browser.safebrowsing.update.enabled': false,
});

/** A tab of the browser, addressed by its BiDi browsing context. */
export interface FirefoxTab {
  readonly context: string;
  /**
   * Runs `fn` (the source of a function, possibly async) with `arg` in the page and resolves to
   * its result, which must survive `JSON.stringify`.
   */
  eval<T>(fn: string, arg?: unknown): Promise<T>;
  /** Clicks the `nth` element matching `selector` (pointer down first, as a real click sends it). */
  click(selector: string, nth?: number): Promise<void>;
  /** Types `value` into the input matching `selector` (sets it and fires `input`, which Vue listens to). */
  fill(selector: string, value: string): Promise<void>;
  /** An attribute of the `nth` element matching `selector`; null when there is no such element or attribute. */
  attribute(selector: string, name: string, nth?: number): Promise<string | null>;
  /** The text of the first element matching `selector`; null when there is none. */
  text(selector: string): Promise<string | null>;
  /** How many elements match `selector`. */
  count(selector: string): Promise<number>;
  close(): Promise<void>;
}

export interface FirefoxWithExtension {
  /** `moz-extension://<uuid>`, the origin of the extension's pages. */
  readonly extensionOrigin: string;
  /** The folder the browser saves downloads to. */
  readonly downloadDir: string;
  /** Opens one of the extension's pages (`popup.html`) in a new tab. */
  openTab(page: string): Promise<FirefoxTab>;
  /**
   * Calls `fn(backgroundWindow, arg)`, `backgroundWindow` being the extension's background page
   * (where the audio plays); like `FirefoxTab.eval`, the result crosses as JSON. It runs in an
   * extension page (the options page, in a tab opened on first use).
   */
  background<T>(fn: string, arg?: unknown): Promise<T>;
  /** Ends the browser and deletes its profile. */
  close(): Promise<void>;
}

/** `[data-testid="a"] [data-testid="b"]`: the element with test id `b` inside one with `a`. */
export const testId = (...ids: string[]) => ids.map((id) => `[data-testid="${id}"]`).join(' ');

/**
 * Starts headless Firefox on a new profile and a free port, installs the unpacked extension
 * built into `extensionDir` (its manifest must name `geckoId`).
 */
export async function launchFirefox({ extensionDir, geckoId }: { extensionDir: string; geckoId: string }): Promise<FirefoxWithExtension> {
  const profile = await mkdtemp(path.join(tmpdir(), 'alktunes-firefox-'));
  const downloadDir = path.join(profile, 'downloads');
  await mkdir(downloadDir);
  const prefs = Object.entries(userPrefs(geckoId, downloadDir)).map(
    ([key, value]) => `user_pref(${JSON.stringify(key)}, ${JSON.stringify(value)});`,
  );
  await writeFile(path.join(profile, 'user.js'), `${prefs.join('\n')}\n`);
  const pulse = await startPulseAudio(path.join(profile, 'pulse')).catch(async (error: unknown) => {
    await rm(profile, { recursive: true, force: true });
    throw error;
  });
  const child = spawn(
    firefoxPath,
    ['--headless', '--no-remote', '--remote-debugging-port=0', '--remote-allow-system-access', '--profile', profile],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PULSE_SERVER: pulse.server, MOZ_CRASHREPORTER_DISABLE: '1' } },
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    await pulse.stop();
    await rm(profile, { recursive: true, force: true });
  };
  let bidi: BidiConnection | undefined;
  try {
    bidi = await BidiConnection.open(`${await bidiAddress(child)}/session`);
    await bidi.send('session.new', { capabilities: {} });
    await bidi.send('webExtension.install', { extensionData: { type: 'path', path: path.resolve(extensionDir) } });
    const connection = bidi;
    const extensionOrigin = `moz-extension://${EXTENSION_UUID}`;
    const chrome = await chromeContext(connection);
    // The background page lives in no tab and BiDi lists no realm for it, so its window is
    // reached from an extension page in a tab of its own (same origin, same process).
    let probe: Promise<FirefoxTab> | undefined;
    const browser: FirefoxWithExtension = {
      extensionOrigin,
      downloadDir,
      openTab: (page) => openTab(connection, chrome, `${extensionOrigin}/${page}`),
      background: async (fn, arg) =>
        (await (probe ??= openTab(connection, chrome, `${extensionOrigin}/options.html`))).eval(
          `async (arg) => (${fn})(await browser.runtime.getBackgroundPage(), arg)`,
          arg,
        ),
      close: async () => {
        connection.close();
        await stop();
      },
    };
    return browser;
  } catch (error) {
    bidi?.close();
    await stop();
    throw error;
  }
}

/**
 * A PulseAudio server of its own in `dir`, with one null sink: audio is thrown away at the rate
 * it plays, so positions advance in real time. (ALSA's null device swallows audio faster than
 * real time, and with no sound output at all Firefox raises `error` on every media element.)
 */
export async function startPulseAudio(dir: string, binary = pulseAudioPath): Promise<{ server: string; stop(): Promise<void> }> {
  await mkdir(dir, { recursive: true });
  const socket = path.join(dir, 'native');
  const child = spawn(
    binary,
    [
      '--daemonize=no',
      '--use-pid-file=no',
      '--exit-idle-time=-1',
      '--disallow-exit',
      '-n',
      '--load=module-null-sink sink_name=silent',
      `--load=module-native-protocol-unix socket=${socket} auth-anonymous=1`,
    ],
    // HOME and the runtime folder in `dir`: nothing of the user's sound setup is read or written.
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, HOME: dir, PULSE_RUNTIME_PATH: dir, XDG_RUNTIME_DIR: dir } },
  );
  // Its log, the end of which says why it stopped; read for as long as it runs, or it blocks on a full pipe.
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  });
  /** Set once PulseAudio could not be started or has ended (`close`: its log is read to the end by then). */
  let ended: Error | undefined;
  child.once('error', (error) => (ended ??= new Error(`PulseAudio could not be started (${binary}): ${error.message}`)));
  child.once(
    'close',
    (code, signal) => (ended ??= new Error(`PulseAudio exited (${code ?? signal}) before it listened:\n${output.slice(-2_000)}`)),
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || ended) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitUntil(
      async () => {
        if (ended) throw ended;
        return existsSync(socket);
      },
      10_000,
      'PulseAudio to listen',
    );
  } catch (error) {
    await stop();
    throw ended ?? new Error(`${(error as Error).message}; its log ends:\n${output.slice(-2_000)}`, { cause: error });
  }
  return { server: `unix:${socket}`, stop };
}

/** Reads the `WebDriver BiDi listening on ws://…` line Firefox prints once its remote agent is up. */
function bidiAddress(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`Firefox did not start its remote agent:\n${output.slice(-2_000)}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(output);
      if (match) done(() => resolve(match[1]!));
    };
    const onExit = (code: number | null) =>
      fail(new Error(`Firefox exited (${code}) before its remote agent started:\n${output.slice(-2_000)}`));
    const done = (then: () => void) => {
      clearTimeout(timer);
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
      child.stderr!.resume(); // keep draining, or Firefox blocks on a full pipe
      then();
    };
    const fail = (error: Error) => done(() => reject(error));
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
}

/** The browser window's privileged (chrome) context: tabs are opened from there. */
async function chromeContext(bidi: BidiConnection): Promise<string> {
  const { contexts } = await bidi.send<{ contexts: { context: string }[] }>('browsingContext.getTree', { 'moz:scope': 'chrome' });
  if (!contexts[0]) throw new Error('Firefox has no browser window');
  return contexts[0].context;
}

/**
 * Opens `url` in a new, selected tab. BiDi refuses to navigate a tab to a `moz-extension:` URL,
 * so the browser window's own script opens it, as the toolbar button would.
 */
async function openTab(bidi: BidiConnection, chrome: string, url: string): Promise<FirefoxTab> {
  const before = new Set((await topContexts(bidi)).map((c) => c.context));
  await evalIn(
    bidi,
    { context: chrome },
    `(url) => { gBrowser.selectedTab = gBrowser.addTab(url, { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() }); }`,
    url,
  );
  const context = await waitUntil(
    async () => (await topContexts(bidi)).find((c) => !before.has(c.context) && c.url === url)?.context,
    10_000,
    `a tab showing ${url}`,
  );
  // The page's own script has run once its document is complete.
  await waitUntil(
    () => evalIn<boolean>(bidi, { context }, `() => document.readyState === 'complete'`).catch(() => false),
    10_000,
    `${url} to load`,
  );
  const run = <T>(fn: string, arg?: unknown) => evalIn<T>(bidi, { context }, fn, arg);
  const nthElement = `(selector, nth) => document.querySelectorAll(selector)[nth]`;
  return {
    context,
    eval: run,
    click: async (selector, nth = 0) => {
      const clicked = await run<boolean>(
        `([selector, nth]) => {
          const element = (${nthElement})(selector, nth);
          if (!element) return false;
          element.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
          element.click();
          return true;
        }`,
        [selector, nth],
      );
      if (!clicked) throw new Error(`No element ${selector} #${nth} to click`);
    },
    fill: async (selector, value) => {
      const filled = await run<boolean>(
        `([selector, value]) => {
          const input = document.querySelector(selector);
          if (!input) return false;
          input.value = value;
          input.dispatchEvent(new Event('input', { bubbles: true }));
          return true;
        }`,
        [selector, value],
      );
      if (!filled) throw new Error(`No input ${selector} to fill`);
    },
    attribute: (selector, name, nth = 0) =>
      run(`([selector, name, nth]) => (${nthElement})(selector, nth)?.getAttribute(name) ?? null`, [selector, name, nth]),
    text: (selector) => run(`(selector) => document.querySelector(selector)?.textContent ?? null`, selector),
    count: (selector) => run(`(selector) => document.querySelectorAll(selector).length`, selector),
    close: async () => {
      await bidi.send('browsingContext.close', { context });
    },
  };
}

async function topContexts(bidi: BidiConnection): Promise<{ context: string; url: string }[]> {
  return (await bidi.send<{ contexts: { context: string; url: string }[] }>('browsingContext.getTree', { maxDepth: 0 })).contexts;
}

/** Calls `fn(arg)` in a context or realm; the result crosses as JSON. Throws the page's exception. */
async function evalIn<T>(bidi: BidiConnection, target: { context: string } | { realm: string }, fn: string, arg?: unknown): Promise<T> {
  const expression = `(async () => JSON.stringify((await (${fn})(${JSON.stringify(arg ?? null)})) ?? null))()`;
  const reply = await bidi.send<EvaluateResult>('script.evaluate', { expression, target, awaitPromise: true });
  if (reply.type === 'exception') throw new Error(`Script failed: ${reply.exceptionDetails.text}`);
  return JSON.parse(reply.result.value as string) as T;
}

type EvaluateResult =
  { type: 'success'; result: { type: string; value?: unknown } } | { type: 'exception'; exceptionDetails: { text: string } };

/** Polls `probe` until it returns something truthy. */
async function waitUntil<T>(probe: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One WebDriver BiDi session over a WebSocket: commands with ids, answered by id; events are ignored. */
class BidiConnection {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void; method: string }>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; type: string; result?: unknown; error?: string; message?: string };
      const waiting = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id!);
      if (message.type === 'error') waiting.reject(new Error(`${waiting.method}: ${message.error}: ${message.message}`));
      else waiting.resolve(message.result);
    });
    socket.addEventListener('close', () => {
      for (const { reject, method } of this.pending.values()) reject(new Error(`${method}: the browser closed the connection`));
      this.pending.clear();
    });
  }

  static open(url: string): Promise<BidiConnection> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.addEventListener('open', () => resolve(new BidiConnection(socket)), { once: true });
      socket.addEventListener('error', () => reject(new Error(`Could not connect to ${url}`)), { once: true });
    });
  }

  send<T>(method: string, params: object): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, method });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.socket.close();
  }
}
