import { createApp } from 'vue';
import OptionsPage from './OptionsPage.vue';

createApp(OptionsPage).mount('#app');
