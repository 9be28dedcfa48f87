import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from '@/components/App.vue';
import { prefetchViews } from '@/components/lazy-views';
import { usePopupStore } from '@/stores/popup';
import { useSessionStore } from '@/stores/session';
import { dropSnapshotStyles, hasSnapshot, keepSnapshot } from '@/utils/popup-snapshot';
import { readStartupState } from '@/utils/popup-startup';
import { afterNextPaint, mark, STARTUP_MARKS } from '@/utils/startup-marks';
import './style.css';

// Read the cached state first thing (one storage.local.get), build the app while it is in
// flight, and mount once, with that state already in the stores: the first frame shows it.
// `popup-picture.js` may already show a picture of the last state; the app replaces it.
mark(STARTUP_MARKS.script);
const root = document.getElementById('app')!;
const build = import.meta.env.BUILD_ID;
const state = readStartupState();
void state.then(() => mark(STARTUP_MARKS.state));
const pinia = createPinia();
const app = createApp(App).use(pinia);

function mount(): void {
  app.mount(root);
  dropSnapshotStyles();
  mark(STARTUP_MARKS.mounted);
  const session = useSessionStore(pinia);
  afterNextPaint(() => {
    keepSnapshot(root, build, () => session.signedIn);
    prefetchViews();
  });
}

void usePopupStore(pinia)
  .start(state)
  .catch((error: unknown) => console.error('[popup] start', error))
  .finally(() => {
    // A picture not on screen yet gets its frame first: mounting now would replace it unseen.
    const painted = performance.getEntriesByName('first-contentful-paint').length > 0;
    if (hasSnapshot(root) && !painted) afterNextPaint(mount);
    else mount();
  });
