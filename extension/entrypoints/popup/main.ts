import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from '@/entrypoints/popup/App.vue';
import { prefetchViews } from '@/components/lazy-views';
import { usePopupStore } from '@/stores/popup';
import { afterNextPaint, mark, readStartupState, STARTUP_MARKS } from '@/utils/popup-startup';
import './style.css';

// Read the cached state first thing (one storage.local.get), build the app while it is in
// flight, and mount once, with that state already in the stores: the first frame shows it.
mark(STARTUP_MARKS.script);
const state = readStartupState();
void state.then(() => mark(STARTUP_MARKS.state));
const pinia = createPinia();
const app = createApp(App).use(pinia);
void usePopupStore(pinia)
  .start(state)
  .finally(() => {
    app.mount('#app');
    mark(STARTUP_MARKS.mounted);
    afterNextPaint(prefetchViews);
  });
