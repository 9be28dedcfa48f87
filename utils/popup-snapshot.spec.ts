import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureNodes, dropSnapshotStyles, hasSnapshot, keepSnapshot, OMIT_ATTRIBUTE, renderNodes, saveSnapshot, showSnapshot, SKIP_ATTRIBUTE } from './popup-snapshot';

const BUILD = 'chrome-extension://id/chunks/popup-abc.js';
const KEY = 'popup.snapshot';

function mountedApp(html: string): HTMLElement {
  const root = document.createElement('div');
  root.innerHTML = html;
  document.body.replaceChildren(root);
  return root;
}

describe('popup snapshot', () => {
  beforeEach(() => {
    localStorage.clear();
    document.head.replaceChildren();
  });
  afterEach(() => vi.useRealTimers());

  it('copies tags, attributes, text and SVG back with DOM calls, without handlers or test ids', () => {
    const app = mountedApp(
      '<div class="app" data-v-1=""><!--v-if--><span class="title" title="Aube" data-testid="home-track" onclick="alert(1)">Aube</span>' +
        '<svg viewBox="0 0 24 24"><path d="M8 5v14l11-7z"></path></svg><a href="javascript:alert(1)">x</a></div>',
    );
    const target = document.createElement('div');
    renderNodes(captureNodes(app), target);

    expect(target.innerHTML).toBe(
      '<div class="app" data-v-1=""><span class="title" title="Aube">Aube</span>' +
        '<svg viewBox="0 0 24 24"><path d="M8 5v14l11-7z"></path></svg><a>x</a></div>',
    );
    expect(target.querySelector('path')!.namespaceURI).toBe('http://www.w3.org/2000/svg');
  });

  it('leaves passing UI (a notice, a dialog) out of the picture', () => {
    const app = mountedApp(`<main><p>Aube</p></main><div ${OMIT_ATTRIBUTE}>Added “Aube” to Road trip.</div>`);
    const target = document.createElement('div');
    renderNodes(captureNodes(app), target);
    expect(target.innerHTML).toBe('<main><p>Aube</p></main>');
  });

  it('keeps markup in a title as text', () => {
    const app = mountedApp('<span class="title"></span>');
    app.querySelector('span')!.textContent = '<img src=x onerror=alert(1)>';
    const target = document.createElement('div');
    renderNodes(captureNodes(app), target);

    expect(target.querySelector('img')).toBeNull();
    expect(target.querySelector('span')!.textContent).toBe('<img src=x onerror=alert(1)>');
  });

  it('paints the saved picture inert and hidden from assistive technology, with its styles, for the same build only', () => {
    const app = mountedApp('<ul aria-label="Home feed"><li class="title">Aube</li></ul>');
    saveSnapshot(app, BUILD, true);
    document.body.replaceChildren();
    const fresh = document.createElement('div');
    document.body.appendChild(fresh);

    expect(showSnapshot(fresh, 'chrome-extension://id/chunks/popup-other.js')).toBe(false);
    expect(fresh.childElementCount).toBe(0);

    expect(hasSnapshot(fresh)).toBe(false);
    expect(showSnapshot(fresh, BUILD)).toBe(true);
    expect(hasSnapshot(fresh)).toBe(true);
    const picture = fresh.firstElementChild as HTMLElement;
    expect(picture.getAttribute('aria-hidden')).toBe('true');
    expect(picture.inert).toBe(true);
    expect(picture.querySelector('[aria-label="Home feed"] .title')!.textContent).toBe('Aube');
    expect(document.head.querySelector('style[data-snapshot]')).not.toBeNull();

    dropSnapshotStyles();
    expect(document.head.querySelector('style[data-snapshot]')).toBeNull();
  });

  it('drops the picture when signed out, while transient UI is shown, or when a list is scrolled', () => {
    const app = mountedApp('<div class="viewport"><p>Aube</p></div>');
    saveSnapshot(app, BUILD, true);
    expect(localStorage.getItem(KEY)).not.toBeNull();

    saveSnapshot(app, BUILD, false);
    expect(localStorage.getItem(KEY)).toBeNull();

    saveSnapshot(app, BUILD, true);
    app.querySelector('p')!.setAttribute(SKIP_ATTRIBUTE, '');
    saveSnapshot(app, BUILD, true);
    expect(localStorage.getItem(KEY)).toBeNull();

    app.querySelector('p')!.removeAttribute(SKIP_ATTRIBUTE);
    saveSnapshot(app, BUILD, true);
    app.querySelector<HTMLElement>('.viewport')!.scrollTop = 52;
    saveSnapshot(app, BUILD, true);
    expect(localStorage.getItem(KEY)).toBeNull();
  });

  it('ignores a damaged saved value', () => {
    localStorage.setItem(KEY, '{"build":');
    expect(showSnapshot(mountedApp(''), BUILD)).toBe(false);
    localStorage.setItem(KEY, JSON.stringify({ build: BUILD, nodes: 'x', css: '' }));
    expect(showSnapshot(mountedApp(''), BUILD)).toBe(false);
  });

  it('follows the app: saves at once, then at most once a second while it changes, and when hidden', async () => {
    vi.useFakeTimers();
    const app = mountedApp('<p>one</p>');
    const stop = keepSnapshot(app, BUILD, () => true);
    const saved = () => JSON.parse(localStorage.getItem(KEY)!).nodes[0].children[0] as string;
    expect(saved()).toBe('one');

    app.querySelector('p')!.textContent = 'two';
    await vi.advanceTimersByTimeAsync(500);
    expect(saved()).toBe('one');
    await vi.advanceTimersByTimeAsync(600);
    expect(saved()).toBe('two');

    app.querySelector('p')!.textContent = 'three';
    await Promise.resolve();
    window.dispatchEvent(new Event('pagehide'));
    expect(saved()).toBe('three');

    stop();
    app.querySelector('p')!.textContent = 'four';
    await vi.advanceTimersByTimeAsync(2000);
    expect(saved()).toBe('three');
  });
});
