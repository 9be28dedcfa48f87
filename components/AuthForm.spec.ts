import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { errorBody, jsonResponse, makeAuthResponse } from '@/test/extension/factories';
import { useSessionStore } from '@/stores/session';
import AuthForm from './AuthForm.vue';

function mountForm() {
  const pinia = createPinia();
  setActivePinia(pinia);
  return mount(AuthForm, { global: { plugins: [pinia] } });
}

describe('AuthForm', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => vi.unstubAllGlobals());

  it('shows the auth server’s error in words', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(jsonResponse(401, errorBody('invalid_credentials', 'Wrong email or password.'))),
    );
    const wrapper = mountForm();

    await wrapper.get('[data-testid="auth-email"]').setValue('ada@example.com');
    await wrapper.get('[data-testid="auth-password"]').setValue('wrong');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    const error = wrapper.get('[data-testid="auth-error"]');
    expect(error.text()).toBe('Wrong email or password.');
    expect(error.attributes('role')).toBe('alert');
  });

  it('switches to create-account and sends the name', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockResolvedValue(jsonResponse(201, makeAuthResponse()));
    vi.stubGlobal('fetch', fetch);
    const wrapper = mountForm();
    expect(wrapper.find('[data-testid="auth-name"]').exists()).toBe(false);

    await wrapper.get('[data-testid="auth-toggle"]').trigger('click');
    await wrapper.get('[data-testid="auth-name"]').setValue('Ada');
    await wrapper.get('[data-testid="auth-email"]').setValue('ada@example.com');
    await wrapper.get('[data-testid="auth-password"]').setValue('secret-pass');
    await wrapper.get('[data-testid="auth-submit"]').trigger('submit');
    await flushPromises();

    expect(fetch.mock.calls[0]![0]).toMatch(/\/auth\/register$/);
    expect(JSON.parse(String(fetch.mock.calls[0]![1]?.body))).toEqual({
      name: 'Ada',
      email: 'ada@example.com',
      password: 'secret-pass',
    });
    expect(useSessionStore().signedIn).toBe(true);
  });

  it('labels every input', () => {
    const wrapper = mountForm();
    for (const input of wrapper.findAll('input')) expect(input.element.closest('label')).not.toBeNull();
  });
});
