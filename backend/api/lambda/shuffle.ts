import { loadApiConfig } from '../config';
import { createShuffleHandler } from '../functions';

/** Lambda entry of the scheduled shuffle that publishes the home feed. */
export const handler = createShuffleHandler(loadApiConfig());
