import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { paintShell } from '@/utils/popup-snapshot';

/**
 * A classic script, the first thing `popup/index.html` loads: once `#app` is parsed it paints the
 * popup's last home view from `localStorage`, while the app's modules are still loading
 * (`utils/popup-snapshot.ts` says what is kept and why). It runs from the head, before the
 * parser reaches `#app`, so that its fetch is not queued behind the app's modules.
 */
export default defineUnlistedScript(() => {
  if (document.getElementById('app')) return void paintShell(document);
  const observer = new MutationObserver(() => {
    if (!document.getElementById('app')) return;
    observer.disconnect();
    paintShell(document);
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
});
