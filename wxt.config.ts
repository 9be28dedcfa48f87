import { defineConfig } from 'wxt';
import { originPattern, resolveBackendUrls } from './utils/backend-urls';

/**
 * Least privilege: `storage` for the session and player state, `offscreen` (Chrome) for the
 * audio document, and host access only to the configured auth, API and media origins.
 * The URLs come from WXT_AUTH_URL / WXT_API_URL / WXT_MEDIA_URL at build time.
 */
export default defineConfig({
  modules: ['@wxt-dev/module-vue'],
  manifest: ({ browser }) => {
    const urls = resolveBackendUrls(process.env);
    const origins = [...new Set([urls.authUrl, urls.apiUrl, urls.mediaUrl].map(originPattern))];
    return {
      name: 'Alktunes',
      description: 'A music mini-player for your Alktunes library.',
      permissions: browser === 'firefox' ? ['storage'] : ['storage', 'offscreen'],
      host_permissions: origins,
      content_security_policy: {
        extension_pages: "script-src 'self'; object-src 'self'",
      },
      action: { default_title: 'Alktunes' },
      ...(browser === 'firefox' && {
        browser_specific_settings: {
          gecko: {
            id: 'player@alktunes.app',
            // The account's email, name and password go to the Alktunes auth server.
            data_collection_permissions: { required: ['authenticationInfo', 'personallyIdentifyingInfo'] },
          },
        },
      }),
    };
  },
});
