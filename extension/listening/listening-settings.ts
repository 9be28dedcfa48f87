import type { ListeningSettings } from '@@/shared/api';
import { storage } from 'wxt/utils/storage';

/**
 * The listener's copy of `GET /me/settings`, so the background can tell without a request
 * whether to record plays (and scrobble them). The options page writes it whenever it reads or
 * changes the setting on the server; until then history is on, as it is on the server.
 */
export const listeningSettingsItem = storage.defineItem<ListeningSettings>('local:listening:settings', {
  fallback: { historyPaused: false },
});
