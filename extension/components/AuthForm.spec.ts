import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { errorBody, jsonResponse, makeSignedIn } from '@@/test/extension/factories';
import { fakeApi } from '@@/test/extension/popup-fakes';
import { useSessionStore } from '@/stores/session';
import AuthForm from './AuthForm.vue';

async function fillSignUp(wrapper: ReturnType<typeof mountForm>): Promise<void> {
  await wrapper.get('[data-testid="auth-name"]').setValue('Ada');
  await wrapper.get('[data-testid="auth-email"]').setValue('ada@example.com');
  await wrapper.get('[data-testid="auth-password"]').setValue('secret-pass');
}

function mountForm() {
  const pinia = createPinia();
  setActivePinia(pinia);
  return mount(AuthForm, { global: { plugins: [pinia] } });
}

describe('AuthForm', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => vi.unstubAllGlobals());

  it('shows the auth server’s error in words', async () => {
    fakeApi({
      'GET /auth/registration': { policy: 'open' },
      'POST /auth/login': () => jsonResponse(401, errorBody('invalid_credentials', 'Wrong email or password.')),
    });
    const wrapper = mountForm();

    await wrapper.get('[data-testid="auth-email"]').setValue('ada@example.com');
    await wrapper.get('[data-testid="auth-password"]').setValue('wrong');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    const error = wrapper.get('[data-testid="auth-error"]');
    expect(error.text()).toBe('Wrong email or password.');
    expect(error.attributes('role')).toBe('alert');
  });

  it('switches to create-account, registers and signs in', async () => {
    const seen = fakeApi({
      'GET /auth/registration': { policy: 'open' },
      'POST /auth/register': () => jsonResponse(202, { status: 'accepted' }),
      'POST /auth/login': makeSignedIn(),
    });
    const wrapper = mountForm();
    await flushPromises();
    expect(wrapper.find('[data-testid="auth-name"]').exists()).toBe(false);

    await wrapper.get('[data-testid="auth-toggle"]').trigger('click');
    expect(wrapper.find('[data-testid="auth-invite"]').exists()).toBe(false);
    await fillSignUp(wrapper);
    await wrapper.get('[data-testid="auth-submit"]').trigger('submit');
    await flushPromises();

    expect(seen.map(({ method, path, body }) => [method, path, body])).toEqual([
      ['GET', '/auth/registration', undefined],
      ['POST', '/auth/register', { name: 'Ada', email: 'ada@example.com', password: 'secret-pass' }],
      ['POST', '/auth/login', { email: 'ada@example.com', password: 'secret-pass' }],
    ]);
    expect(useSessionStore().signedIn).toBe(true);
  });

  it('asks for an invite code when the server registers by invitation, and sends it', async () => {
    const seen = fakeApi({
      'GET /auth/registration': { policy: 'invite' },
      'POST /auth/register': () => jsonResponse(202, { status: 'accepted' }),
      'POST /auth/login': makeSignedIn(),
    });
    const wrapper = mountForm();
    await flushPromises();

    await wrapper.get('[data-testid="auth-toggle"]').trigger('click');
    await fillSignUp(wrapper);
    await wrapper.get('[data-testid="auth-invite"]').setValue('K7Q2-MX4P');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(seen.find((request) => request.path === '/auth/register')?.body).toMatchObject({ inviteCode: 'K7Q2-MX4P' });
  });

  it('offers no sign-up when registration is closed, and says to ask the admin', async () => {
    fakeApi({ 'GET /auth/registration': { policy: 'closed' } });
    const wrapper = mountForm();
    await flushPromises();

    expect(wrapper.find('[data-testid="auth-toggle"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="auth-registration-closed"]').text()).toMatch(/ask its admin/i);
    expect(wrapper.find('[data-testid="auth-name"]').exists()).toBe(false);
  });

  it('says the account could not be created when signing in after registering fails', async () => {
    fakeApi({
      'GET /auth/registration': { policy: 'open' },
      'POST /auth/register': () => jsonResponse(202, { status: 'accepted' }),
      'POST /auth/login': () => jsonResponse(401, errorBody('invalid_credentials', 'Email or password is incorrect')),
    });
    const wrapper = mountForm();
    await flushPromises();

    await wrapper.get('[data-testid="auth-toggle"]').trigger('click');
    await fillSignUp(wrapper);
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(wrapper.get('[data-testid="auth-error"]').text()).toBe('Could not create this account. If you already have one, sign in.');
    expect(useSessionStore().signedIn).toBe(false);
  });

  it('labels every input', async () => {
    fakeApi({ 'GET /auth/registration': { policy: 'invite' } });
    const wrapper = mountForm();
    await flushPromises();
    await wrapper.get('[data-testid="auth-toggle"]').trigger('click');
    expect(wrapper.findAll('input')).toHaveLength(4);
    for (const input of wrapper.findAll('input')) expect(input.element.closest('label')).not.toBeNull();
  });
});
