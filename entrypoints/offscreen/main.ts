import { startOffscreenHost } from '@/utils/player/offscreen-host';

startOffscreenHost();
