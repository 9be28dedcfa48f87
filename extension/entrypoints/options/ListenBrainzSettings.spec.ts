import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { jsonResponse } from '@@/test/extension/factories';
import { fakeApi, signedInEachTest } from '@@/test/extension/popup-fakes';
import { defaultBackendUrls } from '@/api/config';
import { readSession } from '@/api/session-storage';
import { scrobbleSettingsItem, type ScrobbleSettings } from '@/listening/scrobble-settings';
import ListenBrainzSettings from './ListenBrainzSettings.vue';

/** The permission prompt grants everything asked; `remove` records what is given back. */
function fakePermissions(): string[][] {
  vi.spyOn(browser.permissions, 'request').mockImplementation((() => Promise.resolve(true)) as never);
  const removed: string[][] = [];
  vi.spyOn(browser.permissions, 'remove').mockImplementation(((permissions: { origins: string[] }) => {
    removed.push(permissions.origins);
    return Promise.resolve(true);
  }) as never);
  return removed;
}

/** Settings saved earlier by the signed-in account. */
async function saved(settings: Omit<ScrobbleSettings, 'userId'>): Promise<void> {
  await scrobbleSettingsItem.setValue({ ...settings, userId: (await readSession())!.user.id });
}

const mounted: { unmount(): void }[] = [];
async function mountSection() {
  const wrapper = mount(ListenBrainzSettings, { attachTo: document.body });
  mounted.push(wrapper);
  await flushPromises();
  return wrapper;
}

describe('the options page: access to ListenBrainz servers', () => {
  signedInEachTest();
  afterEach(() => {
    for (const wrapper of mounted.splice(0)) wrapper.unmount();
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('shows another account’s settings as none: its token stays hidden', async () => {
    await scrobbleSettingsItem.setValue({ enabled: true, serverUrl: 'https://lb.example.org', token: 'their-token', userId: 'usr_other' });
    const wrapper = await mountSection();
    expect(wrapper.get<HTMLInputElement>('[data-testid="listenbrainz-enabled"]').element.checked).toBe(false);
    expect(wrapper.get<HTMLInputElement>('[data-testid="listenbrainz-token"]').element.value).toBe('');
    expect(wrapper.get<HTMLInputElement>('[data-testid="listenbrainz-url"]').element.value).toBe('https://api.listenbrainz.org');
  });

  it('gives back the access to a server only checked, or left for another, once the settings are saved', async () => {
    fakeApi({ 'GET /1/validate-token': () => jsonResponse(200, { code: 200, message: 'Token valid.', valid: true, user_name: 'ada' }) });
    const removed = fakePermissions();
    await saved({ enabled: true, serverUrl: 'https://old.example.org', token: 'tok' });
    const wrapper = await mountSection();

    await wrapper.get('[data-testid="listenbrainz-url"]').setValue('https://tried.example.org');
    await wrapper.get('[data-testid="listenbrainz-check"]').trigger('click');
    await flushPromises();
    // The server in use keeps its access while another one is only being tried.
    expect(removed).toEqual([]);

    await wrapper.get('[data-testid="listenbrainz-url"]').setValue('https://new.example.org');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect((await scrobbleSettingsItem.getValue()).serverUrl).toBe('https://new.example.org');
    expect(removed.flat().sort()).toEqual(['https://old.example.org/*', 'https://tried.example.org/*']);
  });

  it('gives back the access to the server when scrobbling is turned off', async () => {
    const removed = fakePermissions();
    await saved({ enabled: true, serverUrl: 'https://lb.example.org', token: 'tok' });
    const wrapper = await mountSection();
    await wrapper.get('[data-testid="listenbrainz-enabled"]').setValue(false);
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect((await scrobbleSettingsItem.getValue()).enabled).toBe(false);
    expect(removed).toEqual([['https://lb.example.org/*']]);
  });

  it('keeps an origin an Alktunes server needs too (Firefox grants a host on every port)', async () => {
    vi.stubEnv('BROWSER', 'firefox');
    const removed = fakePermissions();
    const api = new URL(defaultBackendUrls().apiUrl);
    await saved({ enabled: true, serverUrl: `${api.protocol}//${api.hostname}:5999`, token: 'tok' });
    const wrapper = await mountSection();
    await wrapper.get('[data-testid="listenbrainz-enabled"]').setValue(false);
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect((await scrobbleSettingsItem.getValue()).enabled).toBe(false);
    expect(removed).toEqual([]);
  });
});
