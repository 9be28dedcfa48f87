import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from '@/entrypoints/popup/App.vue';
import { prefetchViews } from '@/components/lazy-views';
import { usePopupStore } from '@/stores/popup';
import { afterNextPaint, mark, readStartupState, STARTUP_MARKS } from '@/utils/popup-startup';
import { readSnapshot } from '@/utils/popup-snapshot';
import './style.css';

// Ask storage.local for the stored state first thing (one get, answered asynchronously). With a
// snapshot of the last open (read synchronously from localStorage), mount at once with it: the
// first frame shows it, and the stored state corrects it when it arrives. Without one (first
// open, or signed out), mount once the stored state is in the stores.
mark(STARTUP_MARKS.script);
const state = readStartupState();
void state.then(() => mark(STARTUP_MARKS.state));
const snapshot = readSnapshot();
const pinia = createPinia();
const app = createApp(App).use(pinia);
const popup = usePopupStore(pinia);

function mount(): void {
  document.getElementById('app')?.removeAttribute('data-shell');
  app.mount('#app');
  mark(STARTUP_MARKS.mounted);
  afterNextPaint(prefetchViews);
}

if (snapshot) {
  popup.paintSnapshot(snapshot);
  // The shell (`entrypoints/popup-shell.ts`) already shows this view: let that frame reach the
  // screen first, then replace it with the live app.
  if (document.getElementById('app')?.hasAttribute('data-shell')) afterNextPaint(mount);
  else mount();
}
void popup.start(state).finally(() => {
  if (!snapshot) mount();
});
