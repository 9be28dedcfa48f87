import { startOffscreenHost } from '@/player/offscreen-host';

startOffscreenHost();
