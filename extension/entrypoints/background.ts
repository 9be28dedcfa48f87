import { startPlayer } from '@/player/start-player';

export default defineBackground({
  // Firefox plays audio in the background page itself, so it must not be unloaded.
  persistent: { firefox: true },
  main() {
    startPlayer();
  },
});
