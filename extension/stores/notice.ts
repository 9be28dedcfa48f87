import { defineStore } from 'pinia';
import { ref } from 'vue';

/** How long a notice stays up. */
const NOTICE_MS = 4000;

/** Short confirmations ("Added to Road trip"), announced politely to screen readers. */
export const useNoticeStore = defineStore('notice', () => {
  /** The sentence on screen, or empty. */
  const text = ref('');
  let timer: ReturnType<typeof setTimeout> | undefined;

  function show(sentence: string): void {
    text.value = sentence;
    clearTimeout(timer);
    timer = setTimeout(() => (text.value = ''), NOTICE_MS);
  }

  function dismiss(): void {
    clearTimeout(timer);
    text.value = '';
  }

  return { text, show, dismiss };
});
