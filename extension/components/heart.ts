import type { IconName } from './icon-paths';

/**
 * A track's heart, shared by every place that shows one: the attributes of its plain `<button>`
 * and the icon inside. Attributes rather than a component, so a screen of rows on the popup's
 * first frame sets up no extra instance per row (see TrackRow).
 */
export function heartButton(title: string, liked: boolean) {
  return {
    type: 'button',
    class: liked ? 'icon like liked' : 'icon like',
    'data-testid': 'track-like',
    'aria-pressed': liked ? 'true' : 'false',
    // One name in both states: `aria-pressed` says whether it is liked ("Like X, pressed").
    'aria-label': `Like ${title}`,
    title: 'Like',
  } as const;
}

/** A filled heart for a liked track, an outline otherwise. */
export function heartIcon(liked: boolean): IconName {
  return liked ? 'heart' : 'heartOutline';
}
