import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { customServersItem } from '@/api/config';
import ServerSettings from './ServerSettings.vue';

/** The permission prompt's answer (the typings pick the callback overload of \`request\`). */
const answerPermissionPrompt = (granted: boolean) =>
  vi.spyOn(browser.permissions, 'request').mockImplementation((() => Promise.resolve(granted)) as never);

describe('ServerSettings', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    vi.restoreAllMocks();
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('{}', { status: 200 })),
    );
  });

  it('points at the field to fix and saves nothing for a bad URL', async () => {
    const request = vi.spyOn(browser.permissions, 'request');
    const wrapper = mount(ServerSettings);
    await flushPromises();
    await wrapper.get('[data-testid="server-api-url"]').setValue('not a url');
    await wrapper.get('form').trigger('submit');
    expect(wrapper.get('[data-testid="server-api-url"]').attributes('aria-invalid')).toBe('true');
    expect(wrapper.get('[data-testid="server-message"]').text()).toMatch(/API URL/);
    expect(request).not.toHaveBeenCalled();
  });

  it('says why saved servers that are not https:// are not used, and offers the default ones', async () => {
    await customServersItem.setValue({
      authUrl: 'https://auth.example.com',
      apiUrl: 'http://api.example.com',
      mediaUrl: 'https://media.example.com',
    });
    const wrapper = mount(ServerSettings);
    await flushPromises();
    expect(wrapper.get('[data-testid="server-api-url"]').attributes('aria-invalid')).toBe('true');
    expect(wrapper.get('[data-testid="server-message"]').text()).toMatch(
      /^Your saved servers are not used: API URL must use https:\/\/.*Alktunes uses the default servers/,
    );
    expect(wrapper.find('[data-testid="server-reset"]').exists()).toBe(true);
  });

  it('refuses a plain http:// server that is not this computer, saying why', async () => {
    const request = vi.spyOn(browser.permissions, 'request');
    const wrapper = mount(ServerSettings);
    await flushPromises();
    await wrapper.get('[data-testid="server-auth-url"]').setValue('http://auth.example.com');
    await wrapper.get('[data-testid="server-api-url"]').setValue('https://api.example.com');
    await wrapper.get('[data-testid="server-media-url"]').setValue('https://media.example.com');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="server-auth-url"]').attributes('aria-invalid')).toBe('true');
    expect(wrapper.get('[data-testid="server-message"]').text()).toMatch(/Sign-in server URL must use https:\/\//);
    expect(request).not.toHaveBeenCalled();
    expect(await customServersItem.getValue()).toBeNull();
  });

  it('asks for access, saves the servers and offers a way back', async () => {
    answerPermissionPrompt(true);
    const wrapper = mount(ServerSettings);
    await flushPromises();
    await wrapper.get('[data-testid="server-auth-url"]').setValue('https://auth.example.com');
    await wrapper.get('[data-testid="server-api-url"]').setValue('https://api.example.com');
    await wrapper.get('[data-testid="server-media-url"]').setValue('https://media.example.com');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(await customServersItem.getValue()).toEqual({
      authUrl: 'https://auth.example.com',
      apiUrl: 'https://api.example.com',
      mediaUrl: 'https://media.example.com',
    });
    expect(wrapper.get('[data-testid="server-message"]').text()).toMatch(/Saved/);

    await wrapper.get('[data-testid="server-reset"]').trigger('click');
    await flushPromises();
    expect(await customServersItem.getValue()).toBeNull();
  });
});
