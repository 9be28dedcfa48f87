import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import { forgetRetiredData } from './retired-data';

/** What an earlier version's options page stored: a media-keys choice that nothing read. */
const OLD_PREFERENCES = { globalMediaKeys: true };

const installed = (reason: 'install' | 'update' | 'chrome_update') =>
  fakeBrowser.runtime.onInstalled.trigger({ reason, previousVersion: reason === 'update' ? '0.0.9' : undefined } as never);

describe('data earlier versions stored', () => {
  beforeEach(() => fakeBrowser.reset());

  it('is removed when the extension is updated, and nothing else is', async () => {
    await storage.setItem('local:preferences', OLD_PREFERENCES);
    await storage.setItem('local:session', { accessToken: 'kept' });
    forgetRetiredData();
    await installed('update');
    expect(await storage.getItem('local:preferences')).toBeNull();
    expect(await storage.getItem('local:session')).toEqual({ accessToken: 'kept' });
  });

  it('is left alone when only the browser was updated', async () => {
    await storage.setItem('local:preferences', OLD_PREFERENCES);
    forgetRetiredData();
    await installed('chrome_update');
    expect(await storage.getItem('local:preferences')).toEqual(OLD_PREFERENCES);
  });
});
