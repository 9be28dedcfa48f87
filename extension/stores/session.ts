import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { RegistrationPolicy, User } from '@@/shared/api';
import { ApiError, apiClient, type Registration } from '@/api/api-client';
import { readSession, watchSession, type StoredSession } from '@/api/session-storage';

/** The signed-in listener: restored from storage, signed in, up and out through the auth server. */
export const useSessionStore = defineStore('session', () => {
  /** The signed-in listener, or null when signed out. Read from storage before any request. */
  const user = ref<User | null>(null);
  /** True once the stored session has been read, so the popup knows which view to paint. */
  const ready = ref(false);
  /** True while a sign-in, sign-up or sign-out request is in flight. */
  const pending = ref(false);
  /** Words for the last failed attempt, shown in the form's `auth-error`. */
  const error = ref<string | null>(null);
  /** The form field the auth server blamed, when it named one (`email`, `password`, `name`, `inviteCode`). */
  const errorField = ref<string | null>(null);
  /** Who may create an account on this server; null until known, or when the server could not say. */
  const registrationPolicy = ref<RegistrationPolicy | null>(null);

  const signedIn = computed(() => user.value !== null);
  let unwatch: (() => void) | undefined;
  /** True once another context's sign-in or sign-out has reached this popup. */
  let changeSeen = false;

  /**
   * Paints from an already-read stored session (or the popup's snapshot, which has the user but
   * no tokens) and follows sign-ins/outs made by other contexts.
   */
  function hydrate(stored: Pick<StoredSession, 'user'> | null): void {
    // Once a change has been seen, it is the newest word: a read that resolves after it (made
    // before it, while the snapshot was on screen) must not bring back a signed-out listener.
    if (!changeSeen) user.value = stored?.user ?? null;
    ready.value = true;
    unwatch ??= watchSession((session) => {
      changeSeen = true;
      user.value = session?.user ?? null;
    });
  }

  /** Paints from the stored session and follows sign-ins/outs made by other contexts. */
  async function restore(): Promise<void> {
    hydrate(await readSession());
  }

  async function attempt(run: () => Promise<{ user: User }>): Promise<boolean> {
    pending.value = true;
    error.value = null;
    errorField.value = null;
    try {
      user.value = (await run()).user;
      return true;
    } catch (cause) {
      error.value = cause instanceof ApiError ? cause.message : 'Something went wrong. Please try again.';
      errorField.value = cause instanceof ApiError ? (cause.field ?? null) : null;
      return false;
    } finally {
      pending.value = false;
    }
  }

  /** Signs in; resolves false (with `error` set) when the server refuses. */
  function signIn(email: string, password: string): Promise<boolean> {
    return attempt(() => apiClient().login(email.trim(), password));
  }

  /** Creates an account and signs in; resolves false (with `error` set) on failure. */
  function signUp({ name, email, password, inviteCode }: Registration): Promise<boolean> {
    return attempt(() => apiClient().register({ name: name.trim(), email: email.trim(), password, inviteCode: inviteCode?.trim() }));
  }

  /** Asks the auth server who may register, so the form can ask for an invite or say to ask the admin. */
  async function loadRegistrationPolicy(): Promise<void> {
    try {
      registrationPolicy.value = await apiClient().registrationPolicy();
    } catch {
      // Unknown: the form offers sign-up, and the server's answer to it says what is missing.
      registrationPolicy.value = null;
    }
  }

  async function signOut(): Promise<void> {
    pending.value = true;
    try {
      await apiClient().logout();
    } finally {
      user.value = null;
      pending.value = false;
    }
  }

  function clearError(): void {
    error.value = null;
    errorField.value = null;
  }

  return {
    user,
    ready,
    pending,
    error,
    errorField,
    registrationPolicy,
    signedIn,
    hydrate,
    restore,
    signIn,
    signUp,
    loadRegistrationPolicy,
    signOut,
    clearError,
  };
});
