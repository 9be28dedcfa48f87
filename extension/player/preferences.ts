import { storage } from 'wxt/utils/storage';

/** Listener choices set on the options page. */
export interface PlayerPreferences {
  /**
   * The listener wants the media keys to work while the browser is in the background. The
   * extension cannot make a shortcut global itself (the browser's shortcuts page does that), so
   * this records the choice and the options page shows the steps. A press that arrives twice
   * (global shortcut and Media Session) is played once either way.
   */
  globalMediaKeys: boolean;
}

const DEFAULT_PREFERENCES: Readonly<PlayerPreferences> = Object.freeze({ globalMediaKeys: false });

export const preferencesItem = storage.defineItem<PlayerPreferences>('local:preferences', {
  fallback: { ...DEFAULT_PREFERENCES },
});
