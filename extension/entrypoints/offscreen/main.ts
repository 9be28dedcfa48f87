import { startOffscreenAudioHost } from '@/player/audio/audio-host';

startOffscreenAudioHost();
