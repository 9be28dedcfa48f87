import { browser } from 'wxt/browser';
import { isFirefox } from '@/utils/browser';
import { normalizeBackendUrl, originPatterns, type BackendUrls } from './backend-urls';
import { customServersItem, defaultBackendUrls } from './config';
import { clearSession } from './session-storage';

export type ServerField = keyof BackendUrls;

const labels: Record<ServerField, string> = {
  authUrl: 'Sign-in server URL',
  apiUrl: 'API URL',
  mediaUrl: 'Media (S3) URL',
};

/** Checks what the listener typed; on error names the field so the form can point at it. */
export function parseServerForm(form: BackendUrls): { urls: BackendUrls } | { error: string; field: ServerField } {
  const urls = {} as BackendUrls;
  for (const field of Object.keys(labels) as ServerField[]) {
    try {
      urls[field] = normalizeBackendUrl(form[field], labels[field]);
    } catch (error) {
      return { error: (error as Error).message, field };
    }
  }
  return { urls };
}

const sameUrls = (a: BackendUrls, b: BackendUrls) => a.authUrl === b.authUrl && a.apiUrl === b.apiUrl && a.mediaUrl === b.mediaUrl;

/**
 * Points the extension at another deployment. Asks for access to exactly its origins first
 * (this must run directly in the click handler: browsers only show the prompt during a user
 * gesture), then signs out, since an account belongs to one server. Resolves to false when
 * the listener declines the permission; nothing changes then.
 */
export async function useServers(urls: BackendUrls): Promise<boolean> {
  const granted = await browser.permissions.request({ origins: originPatterns(urls, { anyPort: isFirefox() }) });
  if (!granted) return false;
  await clearSession();
  await customServersItem.setValue(sameUrls(urls, defaultBackendUrls()) ? null : urls);
  return true;
}

/** Goes back to the servers this build was made for (and signs out). */
export async function resetServers(): Promise<void> {
  await clearSession();
  await customServersItem.setValue(null);
}

/** Whether each server answers `GET /health`; for the "test connection" line of the form. */
export async function checkServers(urls: BackendUrls, doFetch: typeof fetch = fetch): Promise<Record<'authUrl' | 'apiUrl', boolean>> {
  const ok = (url: string) =>
    doFetch(`${url}/health`).then(
      (response) => response.ok,
      () => false,
    );
  const [auth, api] = await Promise.all([ok(urls.authUrl), ok(urls.apiUrl)]);
  return { authUrl: auth, apiUrl: api };
}
