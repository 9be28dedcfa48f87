import { showSnapshot } from '@/utils/popup-snapshot';
import { mark, STARTUP_MARKS } from '@/utils/startup-marks';

/**
 * Loaded by popup.html as a small classic script right after `<div id="app">`: it paints the
 * picture of the popup's last state while the page is still being parsed, long before the
 * app's modules (Vue, Pinia, the views) are fetched and run. The app then mounts over it.
 */
export default defineUnlistedScript(() => {
  const root = document.getElementById('app');
  if (root && showSnapshot(root, import.meta.env.BUILD_ID)) mark(STARTUP_MARKS.snapshot);
});
