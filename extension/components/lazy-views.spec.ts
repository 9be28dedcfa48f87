import { describe, expect, it } from 'vitest';
import { loadView, prefetchViews } from './lazy-views';

describe('lazy views', () => {
  it('loads a view chunk once and shares it', async () => {
    const first = loadView('HelpView');
    expect(loadView('HelpView')).toBe(first);
    const component = await first;
    expect(component).toBeTruthy();
    expect(await import('./HelpView.vue').then((m) => m.default)).toBe(component);
  });

  it('prefetches every view without throwing', async () => {
    prefetchViews();
    await expect(loadView('SearchView')).resolves.toBeTruthy();
  });
});
