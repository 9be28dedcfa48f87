import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { playlistFilesTask } from '@/utils/playlist-files-page';
import PlaylistFilesPage from './PlaylistFilesPage.vue';

createApp(PlaylistFilesPage, { task: playlistFilesTask(location.search) })
  .use(createPinia())
  .mount('#app');
