import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import OptionsPage from './OptionsPage.vue';

type Command = { name?: string; description?: string; shortcut?: string };

/** What Chrome's `commands.getAll()` answers for this extension, keys as it names them. */
const CHROME_COMMANDS: Command[] = [
  { name: '_execute_action', description: '', shortcut: '' },
  { name: 'next-track', description: 'Next track', shortcut: 'Media Next Track' },
  { name: 'previous-track', description: 'Previous track', shortcut: 'Media Previous Track' },
  { name: 'toggle-playback', description: 'Play or pause', shortcut: 'Media Play/Pause' },
];

/** The commands as the browser reports them (the fake browser has no `commands.getAll`). */
const reportCommands = (commands: Command[]) =>
  vi.spyOn(browser.commands, 'getAll').mockImplementation((() => Promise.resolve(commands)) as never);

/** Firefox 137+ opens its shortcut settings for an extension; Chrome has no such call. */
function giveOpenShortcutSettings(): ReturnType<typeof vi.fn> {
  const open = vi.fn(() => Promise.resolve());
  Object.defineProperty(browser.commands, 'openShortcutSettings', { value: open, configurable: true });
  return open;
}

function setVisibility(state: DocumentVisibilityState): void {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
}

/** Pages mounted by the current test, unmounted after it (each listens to the document). */
const mounted: { unmount(): void }[] = [];

async function mountPage() {
  const wrapper = mount(OptionsPage, { attachTo: document.body });
  mounted.push(wrapper);
  await flushPromises();
  return wrapper;
}

/** Each listed command: its description and the key shown for it. */
function listedKeys(wrapper: Awaited<ReturnType<typeof mountPage>>) {
  return wrapper.findAll('[data-testid="media-key"]').map((row) => ({
    command: row.attributes('data-command'),
    description: row.get('.command').text(),
    key: row.get('[data-testid="media-key-assignment"]').text(),
    missing: row.attributes('data-missing') === 'true',
  }));
}

describe('the options page: media keys', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    vi.restoreAllMocks();
  });
  afterEach(() => {
    for (const wrapper of mounted.splice(0)) wrapper.unmount();
    Reflect.deleteProperty(browser.commands, 'openShortcutSettings');
    Reflect.deleteProperty(document, 'visibilityState');
    document.body.innerHTML = '';
    vi.unstubAllEnvs();
  });

  it('lists the three player commands, in player order, with the key each has now', async () => {
    reportCommands(CHROME_COMMANDS);
    const wrapper = await mountPage();
    expect(listedKeys(wrapper)).toEqual([
      { command: 'toggle-playback', description: 'Play or pause', key: 'Media Play/Pause', missing: false },
      { command: 'next-track', description: 'Next track', key: 'Media Next Track', missing: false },
      { command: 'previous-track', description: 'Previous track', key: 'Media Previous Track', missing: false },
    ]);
    expect(wrapper.get('[data-testid="media-keys"]').element.tagName).toBe('UL');
    expect(wrapper.find('[data-testid="media-keys-missing"]').exists()).toBe(false);
    // The stored choice that nothing read is gone with its checkbox.
    expect(wrapper.get('section[aria-labelledby="media-keys-title"]').find('input[type="checkbox"]').exists()).toBe(false);
  });

  it("names Firefox's media keys the way Chrome does", async () => {
    reportCommands([
      { name: 'toggle-playback', description: 'Play or pause', shortcut: 'MediaPlayPause' },
      { name: 'next-track', description: 'Next track', shortcut: 'MediaNextTrack' },
      { name: 'previous-track', description: 'Previous track', shortcut: 'MediaPrevTrack' },
    ]);
    const wrapper = await mountPage();
    expect(listedKeys(wrapper).map((row) => row.key)).toEqual(['Media Play/Pause', 'Media Next Track', 'Media Previous Track']);
  });

  it('says which command has no key, and why that happens', async () => {
    reportCommands(CHROME_COMMANDS.map((command) => (command.name === 'next-track' ? { ...command, shortcut: '' } : command)));
    const wrapper = await mountPage();
    const next = listedKeys(wrapper).find((row) => row.command === 'next-track');
    expect(next).toMatchObject({ missing: true, key: 'No key' });
    expect(listedKeys(wrapper).filter((row) => row.missing)).toHaveLength(1);
    const warning = wrapper.get('[data-testid="media-keys-missing"]');
    expect(warning.attributes('role')).toBe('status');
    expect(warning.text()).toMatch(/Next track has no key/);
    expect(warning.text()).toMatch(/another extension/);
  });

  it('points a missing key at the page where each browser assigns keys', async () => {
    const nextMissing = CHROME_COMMANDS.map((command) => (command.name === 'next-track' ? { ...command, shortcut: '' } : command));
    const warningFor = async () => (await mountPage()).get('[data-testid="media-keys-missing"]').text();

    // Chrome: the link to its shortcuts page follows.
    reportCommands(nextMissing);
    expect(await warningFor()).toMatch(/on the shortcuts page below/);

    // Firefox before 137: no link or button, only the way there through about:addons.
    vi.stubEnv('BROWSER', 'firefox');
    const older = await mountPage();
    expect(older.find('[data-testid="open-shortcuts"]').exists()).toBe(false);
    const olderWarning = older.get('[data-testid="media-keys-missing"]').text();
    expect(olderWarning).toMatch(/about:addons/);
    expect(olderWarning).not.toMatch(/below/);

    // Firefox 137 and later: the button below opens its shortcut settings.
    giveOpenShortcutSettings();
    expect(await warningFor()).toMatch(/Firefox's shortcut settings \(the button below\)/);
  });

  it('says so when the browser does not tell which keys are assigned', async () => {
    vi.spyOn(browser.commands, 'getAll').mockImplementation((() => Promise.reject(new Error('not available'))) as never);
    const wrapper = await mountPage();
    expect(wrapper.findAll('[data-testid="media-key"]')).toHaveLength(0);
    expect(wrapper.get('[data-testid="media-keys-unknown"]').text()).toMatch(/could not tell/);
  });

  it("opens Chrome's shortcuts page in a tab from a link that names it", async () => {
    reportCommands(CHROME_COMMANDS);
    const create = vi.spyOn(browser.tabs, 'create');
    const wrapper = await mountPage();
    const link = wrapper.get('[data-testid="open-shortcuts"]');
    expect(link.element.tagName).toBe('A');
    expect(link.attributes('href')).toBe('chrome://extensions/shortcuts');
    expect(link.text()).toMatch(/chrome:\/\/extensions\/shortcuts/);
    expect(wrapper.get('[data-testid="media-keys-help"]').text()).toMatch(/"Global"/);

    await link.trigger('click');
    await flushPromises();
    expect(create).toHaveBeenCalledWith({ url: 'chrome://extensions/shortcuts' });
  });

  it("uses the browser's own call to open its shortcut settings where there is one (Firefox 137+)", async () => {
    reportCommands(CHROME_COMMANDS);
    const open = giveOpenShortcutSettings();
    const create = vi.spyOn(browser.tabs, 'create');
    const wrapper = await mountPage();
    const button = wrapper.get('[data-testid="open-shortcuts"]');
    expect(button.element.tagName).toBe('BUTTON');

    await button.trigger('click');
    await flushPromises();
    expect(open).toHaveBeenCalledOnce();
    expect(create).not.toHaveBeenCalled();
  });

  it('checks the keys again when the page is shown again', async () => {
    const getAll = reportCommands(CHROME_COMMANDS.map((command) => ({ ...command, shortcut: '' })));
    const wrapper = await mountPage();
    expect(listedKeys(wrapper).map((row) => row.missing)).toEqual([true, true, true]);

    // The listener sets the keys on the shortcuts page, then comes back to this one.
    getAll.mockImplementation((() => Promise.resolve(CHROME_COMMANDS)) as never);
    setVisibility('hidden');
    await flushPromises();
    expect(listedKeys(wrapper).map((row) => row.missing)).toEqual([true, true, true]);
    setVisibility('visible');
    await flushPromises();
    expect(listedKeys(wrapper).map((row) => row.missing)).toEqual([false, false, false]);
    expect(wrapper.find('[data-testid="media-keys-missing"]').exists()).toBe(false);

    mounted.splice(0).forEach((page) => page.unmount());
    const calls = getAll.mock.calls.length;
    setVisibility('visible');
    await flushPromises();
    expect(getAll.mock.calls.length).toBe(calls);
  });
});
