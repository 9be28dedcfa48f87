import { createApp } from 'vue';
