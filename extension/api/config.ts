import { storage } from 'wxt/utils/storage';
import { normalizeBackendUrl, resolveBackendUrls, type BackendUrls, type EnvLike } from './backend-urls';

/** Server URLs the listener chose on the options page; null means "this build's servers". */
export const customServersItem = storage.defineItem<BackendUrls | null>('local:customServers', { fallback: null });

const buildUrls = (): BackendUrls => resolveBackendUrls(import.meta.env as unknown as EnvLike);

/**
 * The saved servers if they still pass `normalizeBackendUrl`; null if not: ones saved before
 * https was required are set aside (the options page says so) rather than sent passwords.
 */
function usableCustomServers(saved: BackendUrls | null): BackendUrls | null {
  if (!saved) return null;
  try {
    for (const url of [saved.authUrl, saved.apiUrl, saved.mediaUrl]) normalizeBackendUrl(url, 'a saved server URL');
    return saved;
  } catch {
    return null;
  }
}

let current: BackendUrls | undefined;
let loading: Promise<BackendUrls> | undefined;

/**
 * The backend URLs in effect: the listener's own servers when set on the options page (and
 * still https, or on this computer), otherwise the ones this build was made for (`WXT_AUTH_URL`,
 * `WXT_API_URL`, `WXT_MEDIA_URL`; defaults: the local stack). Call `loadBackendUrls()` once per context before relying on it.
 */
export function backendUrls(): BackendUrls {
  return current ?? buildUrls();
}

/** Reads the listener's choice (once per context) and follows later changes to it. */
export function loadBackendUrls(): Promise<BackendUrls> {
  loading ??= (async () => {
    customServersItem.watch((custom) => {
      current = usableCustomServers(custom) ?? buildUrls();
    });
    current = usableCustomServers(await customServersItem.getValue()) ?? buildUrls();
    return current;
  })();
  return loading;
}

/** The URLs this build was made for, ignoring any choice on the options page. */
export const defaultBackendUrls = buildUrls;
