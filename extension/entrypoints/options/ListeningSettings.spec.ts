import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { errorBody, jsonResponse } from '@@/test/extension/factories';
import { fakeApi, signedInEachTest } from '@@/test/extension/popup-fakes';
import { clearSession } from '@/api/session-storage';
import { historyClearedItem, listeningSettingsItem } from '@/listening/listening-settings';
import { scrobbleProblemItem, scrobbleSettingsItem } from '@/listening/scrobble-settings';
import ListeningSettings from './ListeningSettings.vue';

/** The permission prompt's answer (the typings pick the callback overload of `request`). */
const answerPermissionPrompt = (granted: boolean) =>
  vi.spyOn(browser.permissions, 'request').mockImplementation((() => Promise.resolve(granted)) as never);

const mounted: { unmount(): void }[] = [];
async function mountSection() {
  const wrapper = mount(ListeningSettings, { attachTo: document.body });
  mounted.push(wrapper);
  await flushPromises();
  return wrapper;
}

describe('the options page: listening history', () => {
  signedInEachTest();
  afterEach(() => {
    for (const wrapper of mounted.splice(0)) wrapper.unmount();
    vi.restoreAllMocks();
  });

  it("shows the server's pause setting and keeps the background's copy in step", async () => {
    fakeApi({ 'GET /me/settings': { historyPaused: true } });
    const wrapper = await mountSection();
    const box = wrapper.get<HTMLInputElement>('[data-testid="history-paused"]');
    expect(box.element.checked).toBe(true);
    expect(box.element.disabled).toBe(false);
    expect(await listeningSettingsItem.getValue()).toEqual({ historyPaused: true });
  });

  it('pauses history on the server, then in the stored copy', async () => {
    const seen = fakeApi({
      'GET /me/settings': { historyPaused: false },
      'PATCH /me/settings': () => jsonResponse(200, { historyPaused: true }),
    });
    const wrapper = await mountSection();
    await wrapper.get('[data-testid="history-paused"]').setValue(true);
    await flushPromises();
    expect(seen.filter((r) => r.method === 'PATCH')).toMatchObject([{ path: '/me/settings', body: { historyPaused: true } }]);
    expect(await listeningSettingsItem.getValue()).toEqual({ historyPaused: true });
  });

  it('puts the switch back and says why when the server refuses', async () => {
    fakeApi({
      'GET /me/settings': { historyPaused: false },
      'PATCH /me/settings': () => jsonResponse(500, errorBody('internal', 'Alktunes is having trouble right now.')),
    });
    const wrapper = await mountSection();
    await wrapper.get('[data-testid="history-paused"]').setValue(true);
    await flushPromises();
    expect(wrapper.get<HTMLInputElement>('[data-testid="history-paused"]').element.checked).toBe(false);
    expect(wrapper.get('[data-testid="history-message"]').text()).toMatch(/trouble/);
    expect(await listeningSettingsItem.getValue()).toEqual({ historyPaused: false });
  });

  it('asks to sign in, and offers nothing to change, when signed out', async () => {
    await clearSession();
    const seen = fakeApi({});
    const wrapper = await mountSection();
    expect(seen).toEqual([]);
    expect(wrapper.get<HTMLInputElement>('[data-testid="history-paused"]').element.disabled).toBe(true);
    expect(wrapper.get<HTMLButtonElement>('[data-testid="history-clear"]').element.disabled).toBe(true);
    expect(wrapper.get('[data-testid="history-message"]').text()).toMatch(/Sign in/);
  });

  it('clears the history only once confirmed', async () => {
    const seen = fakeApi({ 'GET /me/settings': { historyPaused: false }, 'DELETE /me/history': () => new Response(null, { status: 204 }) });
    const wrapper = await mountSection();
    await wrapper.get('[data-testid="history-clear"]').trigger('click');
    await wrapper.get('[data-testid="history-clear-no"]').trigger('click');
    expect(seen.some((r) => r.method === 'DELETE')).toBe(false);

    await wrapper.get('[data-testid="history-clear"]').trigger('click');
    expect(wrapper.get('[data-testid="history-clear-confirm"]').text()).toMatch(/cannot be undone/);
    await wrapper.get('[data-testid="history-clear-yes"]').trigger('click');
    await flushPromises();
    expect(seen.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual(['/me/history']);
    // Plays still waiting in this browser (outbox, scrobble queue, the one being heard) go too.
    expect(Object.keys(await historyClearedItem.getValue())).toEqual(['usr_1']);
    expect(wrapper.get('[data-testid="history-message"]').text()).toMatch(/cleared/);
    expect(wrapper.find('[data-testid="history-clear-confirm"]').exists()).toBe(false);
  });
});

describe('the options page: scrobbling to ListenBrainz', () => {
  signedInEachTest();
  afterEach(() => {
    for (const wrapper of mounted.splice(0)) wrapper.unmount();
    vi.restoreAllMocks();
  });

  const validateToken = (userName?: string) => () =>
    jsonResponse(
      200,
      userName
        ? { code: 200, message: 'Token valid.', valid: true, user_name: userName }
        : { code: 200, message: 'Token invalid.', valid: false },
    );

  it('starts off, with a password field and the ListenBrainz server', async () => {
    fakeApi({ 'GET /me/settings': { historyPaused: false } });
    const wrapper = await mountSection();
    expect(wrapper.get<HTMLInputElement>('[data-testid="listenbrainz-enabled"]').element.checked).toBe(false);
    expect(wrapper.get('[data-testid="listenbrainz-token"]').attributes('type')).toBe('password');
    expect(wrapper.get<HTMLInputElement>('[data-testid="listenbrainz-url"]').element.value).toBe('https://api.listenbrainz.org');
  });

  it("checks the token against the server, after asking for the server's origin, and names its user", async () => {
    const seen = fakeApi({ 'GET /me/settings': { historyPaused: false }, 'GET /1/validate-token': validateToken('ada') });
    const request = answerPermissionPrompt(true);
    const wrapper = await mountSection();
    await wrapper.get('[data-testid="listenbrainz-token"]').setValue(' tok-123 ');
    await wrapper.get('[data-testid="listenbrainz-check"]').trigger('click');
    expect(request).toHaveBeenCalledWith({ origins: ['https://api.listenbrainz.org/*'] });
    await flushPromises();
    expect(wrapper.get('[data-testid="listenbrainz-message"]').text()).toBe('This token belongs to ada.');
    const check = seen.find((r) => r.path === '/1/validate-token');
    expect(new Headers(check?.headers).get('Authorization')).toBe('Token tok-123');
    // Checking saves nothing.
    expect((await scrobbleSettingsItem.getValue()).token).toBe('');
  });

  it('says so when the server does not know the token', async () => {
    fakeApi({ 'GET /me/settings': { historyPaused: false }, 'GET /1/validate-token': validateToken() });
    answerPermissionPrompt(true);
    const wrapper = await mountSection();
    await wrapper.get('[data-testid="listenbrainz-token"]').setValue('wrong');
    await wrapper.get('[data-testid="listenbrainz-check"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="listenbrainz-message"]').text()).toMatch(/does not know this token/);
    expect(wrapper.get('[data-testid="listenbrainz-token"]').attributes('aria-invalid')).toBe('true');
  });

  it('refuses a plain http:// server elsewhere, and turning on without a token, before asking for anything', async () => {
    fakeApi({ 'GET /me/settings': { historyPaused: false } });
    const request = answerPermissionPrompt(true);
    const wrapper = await mountSection();
    await wrapper.get('[data-testid="listenbrainz-enabled"]').setValue(true);
    await wrapper.get('form').trigger('submit');
    expect(wrapper.get('[data-testid="listenbrainz-token"]').attributes('aria-invalid')).toBe('true');

    await wrapper.get('[data-testid="listenbrainz-token"]').setValue('tok');
    await wrapper.get('[data-testid="listenbrainz-url"]').setValue('http://lb.example.org');
    await wrapper.get('form').trigger('submit');
    expect(wrapper.get('[data-testid="listenbrainz-url"]').attributes('aria-invalid')).toBe('true');
    expect(wrapper.get('[data-testid="listenbrainz-message"]').text()).toMatch(/https:\/\//);
    expect(request).not.toHaveBeenCalled();
    expect(await scrobbleSettingsItem.getValue()).toMatchObject({ enabled: false });
  });

  it('saves the settings once the origin is granted, and clears a refused-token report', async () => {
    fakeApi({ 'GET /me/settings': { historyPaused: false } });
    await scrobbleProblemItem.setValue({
      code: 'token_rejected',
      message: 'ListenBrainz did not accept your token.',
      at: new Date().toISOString(),
    });
    const request = answerPermissionPrompt(true);
    const wrapper = await mountSection();
    expect(wrapper.get('[data-testid="listenbrainz-problem"]').text()).toMatch(/did not accept/);

    await wrapper.get('[data-testid="listenbrainz-enabled"]').setValue(true);
    await wrapper.get('[data-testid="listenbrainz-token"]').setValue('tok-new');
    await wrapper.get('[data-testid="listenbrainz-url"]').setValue('http://127.0.0.1:5000/');
    await wrapper.get('form').trigger('submit');
    expect(request).toHaveBeenCalledWith({ origins: ['http://127.0.0.1:5000/*'] });
    await flushPromises();
    expect(await scrobbleSettingsItem.getValue()).toEqual({
      enabled: true,
      serverUrl: 'http://127.0.0.1:5000',
      token: 'tok-new',
      userId: 'usr_1',
    });
    expect(await scrobbleProblemItem.getValue()).toBeNull();
    expect(wrapper.find('[data-testid="listenbrainz-problem"]').exists()).toBe(false);
  });

  it('asks Firefox for the host on any port (its patterns cannot name one)', async () => {
    vi.stubEnv('BROWSER', 'firefox');
    fakeApi({ 'GET /me/settings': { historyPaused: false } });
    const request = answerPermissionPrompt(true);
    const wrapper = await mountSection();
    await wrapper.get('[data-testid="listenbrainz-enabled"]').setValue(true);
    await wrapper.get('[data-testid="listenbrainz-token"]').setValue('tok');
    await wrapper.get('[data-testid="listenbrainz-url"]').setValue('http://127.0.0.1:5000');
    await wrapper.get('form').trigger('submit');
    expect(request).toHaveBeenCalledWith({ origins: ['http://127.0.0.1/*'] });
    vi.unstubAllEnvs();
  });

  it('saves nothing when the listener declines access to the server', async () => {
    fakeApi({ 'GET /me/settings': { historyPaused: false } });
    answerPermissionPrompt(false);
    const wrapper = await mountSection();
    await wrapper.get('[data-testid="listenbrainz-enabled"]').setValue(true);
    await wrapper.get('[data-testid="listenbrainz-token"]').setValue('tok');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="listenbrainz-message"]').text()).toMatch(/needs access to api\.listenbrainz\.org/);
    expect(await scrobbleSettingsItem.getValue()).toMatchObject({ enabled: false, token: '' });
  });

  it('shows a refused token as soon as the background reports it', async () => {
    fakeApi({ 'GET /me/settings': { historyPaused: false } });
    const wrapper = await mountSection();
    expect(wrapper.find('[data-testid="listenbrainz-problem"]').exists()).toBe(false);
    await scrobbleProblemItem.setValue({
      code: 'token_rejected',
      message: 'ListenBrainz did not accept your token.',
      at: new Date().toISOString(),
    });
    await flushPromises();
    expect(wrapper.get('[data-testid="listenbrainz-problem"]').attributes('role')).toBe('alert');
  });
});
