import { browser } from 'wxt/browser';
import { storage, type StorageItemKey } from 'wxt/utils/storage';

/**
 * Items earlier versions stored that nothing reads any more: `preferences` held an options-page
 * choice about background media keys, which only the browser's shortcuts page can make.
 */
const RETIRED_ITEMS: StorageItemKey[] = ['local:preferences'];

/**
 * Removes the retired items once, when the extension is updated from an earlier version. The
 * listener returns the removal so a caller that awaits the event (a spec) sees it done.
 */
export function forgetRetiredData(): void {
  browser.runtime.onInstalled.addListener(({ reason }) => (reason === 'update' ? storage.removeItems(RETIRED_ITEMS) : undefined));
}
