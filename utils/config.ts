import { resolveBackendUrls, type BackendUrls, type EnvLike } from './backend-urls';

let cached: BackendUrls | undefined;

/**
 * The backend URLs this build was made for, fixed at build time from `WXT_AUTH_URL`,
 * `WXT_API_URL` and `WXT_MEDIA_URL` (defaults: the local stack). `wxt.config.ts` derives the
 * manifest's host permissions from the same values, so the extension reaches only these.
 */
export function backendUrls(): BackendUrls {
  cached ??= resolveBackendUrls(import.meta.env as unknown as EnvLike);
  return cached;
}
