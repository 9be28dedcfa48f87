import { defineConfig } from 'wxt';
import { originPatterns, resolveBackendUrls } from './extension/api/backend-urls';

/**
 * Least privilege: `storage` for the session and player state, `alarms` to refresh the access
 * token before it expires while the service worker sleeps, `offscreen` (Chrome) for the audio
 * document, and host access only to the configured auth, API and media origins.
 * The URLs come from WXT_AUTH_URL / WXT_API_URL / WXT_MEDIA_URL at build time; a listener can
 * point the extension at another deployment from the options page, which then asks for
 * access to exactly those origins. One exception, on Firefox: its match patterns cannot name a
 * port, so a backend URL with an explicit port (`http://127.0.0.1:8711`) is granted on every
 * port of that host. Production https origins carry no port, so for them nothing changes.
 */
export default defineConfig({
  srcDir: 'extension',
  // Every file imports what it uses (`browser` from 'wxt/browser', `ref` from 'vue'…), so a reader
  // can follow each name to its source; no auto-imported globals.
  imports: false,
  modules: ['@wxt-dev/module-vue'],
  manifest: ({ browser }) => {
    // Firefox's match patterns cannot name a port (see `originPattern`).
    const origins = originPatterns(resolveBackendUrls(process.env), { anyPort: browser === 'firefox' });
    // A self-hosted deployment's origins are asked for at run time, one by one, from the options page.
    const anyOrigin = ['http://*/*', 'https://*/*'];
    return {
      name: 'Alktunes',
      description: 'A music mini-player for your Alktunes library.',
      permissions: browser === 'firefox' ? ['storage', 'alarms'] : ['storage', 'alarms', 'offscreen'],
      host_permissions: origins,
      ...(browser === 'firefox' ? { optional_permissions: anyOrigin } : { optional_host_permissions: anyOrigin }),
      content_security_policy: {
        extension_pages: "script-src 'self'; object-src 'self'",
      },
      action: { default_title: 'Alktunes' },
      // Media keys work while the browser is focused; making them global is the listener's
      // choice on the browser's shortcuts page (the options page explains how).
      commands: {
        'toggle-playback': { suggested_key: { default: 'MediaPlayPause' }, description: 'Play or pause' },
        'next-track': { suggested_key: { default: 'MediaNextTrack' }, description: 'Next track' },
        'previous-track': { suggested_key: { default: 'MediaPrevTrack' }, description: 'Previous track' },
      },
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
