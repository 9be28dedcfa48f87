import { browser } from 'wxt/browser';
import { originPatterns } from '@/api/backend-urls';
import { defaultBackendUrls, loadBackendUrls } from '@/api/config';
import { listenBrainzOrigins } from '@/listening/scrobble-settings';
import { isFirefox } from './browser';

/**
 * The access to ListenBrainz servers the options page asked for, given back once no setting uses
 * it: a server only checked, the one left for another, the one in use when scrobbling is turned
 * off. An origin an Alktunes server needs stays granted: the build's servers (granted at install)
 * and the listener's own (asked for on the same page). On Firefox a pattern names a host on every
 * port, so a ListenBrainz server on the API's host shares the API's pattern.
 */
export function createListenBrainzAccess() {
  /** Servers this page asked for, or found in use. */
  const held = new Set<string>();

  return {
    /** Notes that the page holds access to `serverUrl`. */
    hold(serverUrl: string): void {
      held.add(serverUrl);
    },
    /** Gives back the access to every server held but those in `keep`. */
    async release(keep: readonly string[]): Promise<void> {
      const anyPort = isFirefox();
      const needed = new Set([
        ...keep.flatMap((url) => listenBrainzOrigins(url, anyPort)),
        ...originPatterns(await loadBackendUrls(), { anyPort }),
        ...originPatterns(defaultBackendUrls(), { anyPort }),
      ]);
      const unused = [...held].filter((url) => !keep.includes(url));
      for (const url of unused) held.delete(url);
      const origins = [...new Set(unused.flatMap((url) => listenBrainzOrigins(url, anyPort)))].filter((origin) => !needed.has(origin));
      if (!origins.length) return;
      try {
        await browser.permissions.remove({ origins });
      } catch {
        // Best effort: the settings are saved by now, and an origin left granted waits for the next change.
      }
    },
  };
}
