import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from '@/components/App.vue';
import { prefetchViews } from '@/components/lazy-views';
import { usePopupStore } from '@/stores/popup';
import { useSessionStore } from '@/stores/session';
import { dropSnapshotStyles, keepSnapshot } from '@/utils/popup-snapshot';
import { afterNextPaint, mark, STARTUP_MARKS, type StartupState } from '@/utils/popup-startup';

/**
 * The live popup: mounted once, with the state `main.ts` started reading already in the stores,
 * so its first frame shows it (and replaces the picture of the last state, if one was painted).
 */
export async function startPopup(root: HTMLElement, state: Promise<StartupState>, build: string): Promise<void> {
  const pinia = createPinia();
  const app = createApp(App).use(pinia);
  await usePopupStore(pinia).start(state).catch((error: unknown) => console.error('[popup] start', error));
  app.mount(root);
  dropSnapshotStyles();
  mark(STARTUP_MARKS.mounted);
  const session = useSessionStore(pinia);
  afterNextPaint(() => {
    keepSnapshot(root, build, () => session.signedIn);
    prefetchViews();
  });
}
