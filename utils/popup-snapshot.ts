/**
 * A picture of the popup as it last looked, painted the moment it opens — before Vue and the
 * app's code are fetched — and replaced by the live app as soon as that mounts. The picture is
 * the app's own DOM, saved as a tree of tags, attributes and text (never as HTML: text goes
 * back only through text nodes, so nothing in a track's title can become markup), in the
 * page's `localStorage`, the one store an extension page can read synchronously.
 *
 * The picture is kept only while the popup shows what a reopened popup would show too:
 * signed in, no list scrolled, and no element marked `data-snapshot-skip` (a typed search, a
 * filter, the help — views that do not survive closing the popup); otherwise it is dropped,
 * and the next open simply waits for the app. Passing things that a reopened popup would not
 * show on top of the same view (a notice, a dialog, an error) are marked `data-snapshot-omit`
 * and left out of the picture.
 */

const STORAGE_KEY = 'popup.snapshot';
/** Marks a view that does not survive a reopen: while one is shown, no picture is kept. */
export const SKIP_ATTRIBUTE = 'data-snapshot-skip';
/** Marks passing UI over a view (notice, dialog, error): left out of the picture. */
export const OMIT_ATTRIBUTE = 'data-snapshot-omit';
/** Marks the inert picture (for styles and for tools that need to tell it from the app). */
export const SNAPSHOT_ATTRIBUTE = 'data-snapshot';
const SVG_NS = 'http://www.w3.org/2000/svg';
/** Larger pictures are not kept (a normal one is well under 100 KB). */
const MAX_CHARS = 1_000_000;
/** While the popup changes, the picture is saved at most this often (and when it closes). */
const SAVE_EVERY_MS = 1000;

/** An element: tag, attributes, children; `svg` for SVG elements. */
export interface SnapshotElement {
  tag: string;
  svg?: true;
  attrs?: [string, string][];
  children?: SnapshotNode[];
}
export type SnapshotNode = string | SnapshotElement;

export interface Snapshot {
  /** The build that took it; another build's markup may not match its styles. */
  build: string;
  /** The rules of the stylesheets the page had loaded (the app's and lazy views' own). */
  css: string;
  nodes: SnapshotNode[];
}

/** Attributes never copied: event handlers, and test ids (tests drive the live app only). */
const dropAttribute = (name: string) => name.startsWith('on') || name === 'data-testid';
const unsafeUrl = (name: string, value: string) =>
  (name === 'href' || name === 'src' || name === 'xlink:href') && /^\s*javascript:/i.test(value);

/** The children of `root` as a tree, without comments (Vue's placeholders) and omitted elements. */
export function captureNodes(root: Node): SnapshotNode[] {
  const nodes: SnapshotNode[] = [];
  for (const child of root.childNodes) {
    if (child.nodeType === 3) nodes.push(child.nodeValue ?? '');
    if (child.nodeType !== 1) continue;
    const element = child as Element;
    if (element.hasAttribute(OMIT_ATTRIBUTE)) continue;
    const attrs = [...element.attributes].filter((a) => !dropAttribute(a.name)).map((a): [string, string] => [a.name, a.value]);
    const children = captureNodes(element);
    nodes.push({
      tag: element.localName,
      ...(element.namespaceURI === SVG_NS && { svg: true as const }),
      ...(attrs.length && { attrs }),
      ...(children.length && { children }),
    });
  }
  return nodes;
}

/** Builds `nodes` with DOM calls only (no HTML parsing) into `parent`. */
export function renderNodes(nodes: readonly SnapshotNode[], parent: Node, doc: Document = document): void {
  for (const node of nodes) {
    if (typeof node === 'string') {
      parent.appendChild(doc.createTextNode(node));
      continue;
    }
    const element = node.svg ? doc.createElementNS(SVG_NS, node.tag) : doc.createElement(node.tag);
    for (const [name, value] of node.attrs ?? []) {
      if (!dropAttribute(name) && !unsafeUrl(name, value)) element.setAttribute(name, value);
    }
    renderNodes(node.children ?? [], element, doc);
    parent.appendChild(element);
  }
}

function isSnapshot(value: unknown, build: string): value is Snapshot {
  const s = value as Snapshot | null;
  return !!s && s.build === build && typeof s.css === 'string' && Array.isArray(s.nodes);
}

function read(storage: Storage, build: string): Snapshot | undefined {
  try {
    const value: unknown = JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null');
    return isSnapshot(value, build) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Paints the last picture into `container`, inert and hidden from assistive technology; the
 * app's mount replaces it (then call `dropSnapshotStyles`). The picture brings the rules of the
 * stylesheets it was taken with (the app's own load with the app, lazy views' with them), so
 * it is styled in its first frame. Returns false when there is none for this build.
 */
export function showSnapshot(container: HTMLElement, build: string, storage: Storage = localStorage): boolean {
  const snapshot = read(storage, build);
  if (!snapshot) return false;
  const doc = container.ownerDocument;
  const style = doc.createElement('style');
  style.setAttribute(SNAPSHOT_ATTRIBUTE, '');
  style.textContent = snapshot.css;
  doc.head.appendChild(style);
  const picture = doc.createElement('div');
  picture.setAttribute(SNAPSHOT_ATTRIBUTE, '');
  picture.setAttribute('aria-hidden', 'true');
  picture.inert = true;
  picture.style.display = 'contents';
  renderNodes(snapshot.nodes, picture, doc);
  container.replaceChildren(picture);
  return true;
}

/** True while `container` shows the picture (the app has not mounted over it yet). */
export function hasSnapshot(container: HTMLElement): boolean {
  return container.firstElementChild?.hasAttribute(SNAPSHOT_ATTRIBUTE) ?? false;
}

/** Removes the picture's copy of the styles once the app's own stylesheets are in. */
export function dropSnapshotStyles(doc: Document = document): void {
  doc.head.querySelector(`style[${SNAPSHOT_ATTRIBUTE}]`)?.remove();
}

/** The rules of the page's own stylesheets (the popup's, and those the app and its lazy views added). */
function stylesheetRules(doc: Document): string {
  const origin = new URL(doc.baseURI).origin;
  const rules: string[] = [];
  for (const sheet of doc.styleSheets) {
    if (!sheet.href || new URL(sheet.href).origin !== origin) continue;
    for (const rule of sheet.cssRules) rules.push(rule.cssText);
  }
  return rules.join('\n');
}

/** True when any element inside `root` is scrolled (a reopened popup starts at the top). */
function scrolled(root: Element): boolean {
  for (const element of root.querySelectorAll('*')) if (element.scrollTop > 0) return true;
  return false;
}

/** Takes the picture of `container` now, or drops the kept one when it should not be kept. */
export function saveSnapshot(container: HTMLElement, build: string, keep: boolean, storage: Storage = localStorage): void {
  try {
    if (!keep || container.querySelector(`[${SKIP_ATTRIBUTE}]`) || scrolled(container)) {
      storage.removeItem(STORAGE_KEY);
      return;
    }
    const css = stylesheetRules(container.ownerDocument);
    const text = JSON.stringify({ build, css, nodes: captureNodes(container) } satisfies Snapshot);
    if (text.length > MAX_CHARS) storage.removeItem(STORAGE_KEY);
    else storage.setItem(STORAGE_KEY, text);
  } catch {
    // Storage full or unavailable: the popup just opens without a picture.
    storage.removeItem(STORAGE_KEY);
  }
}

/**
 * Keeps the picture of the mounted app up to date: at most once a second while it changes,
 * and when the popup is hidden or closed. `keep()` says whether the popup's state may be kept
 * at all (false when signed out). Returns a function that stops following.
 */
export function keepSnapshot(container: HTMLElement, build: string, keep: () => boolean, storage: Storage = localStorage): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    clearTimeout(timer);
    timer = undefined;
    saveSnapshot(container, build, keep(), storage);
  };
  const observer = new MutationObserver(() => (timer ??= setTimeout(save, SAVE_EVERY_MS)));
  observer.observe(container, { subtree: true, childList: true, attributes: true, characterData: true });
  const win = container.ownerDocument.defaultView;
  const onHide = () => {
    if (container.ownerDocument.visibilityState === 'hidden') save();
  };
  container.ownerDocument.addEventListener('visibilitychange', onHide);
  win?.addEventListener('pagehide', save);
  save();
  return () => {
    observer.disconnect();
    clearTimeout(timer);
    container.ownerDocument.removeEventListener('visibilitychange', onHide);
    win?.removeEventListener('pagehide', save);
  };
}
