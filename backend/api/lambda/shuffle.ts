import { loadApiConfig } from '../config';
import { createShuffleFunction } from '../home/shuffle-function';
import { mapStackTracesOnDemand } from '../../lambda-runtime/stack-traces';

mapStackTracesOnDemand(import.meta.url);

/** Lambda entry of the scheduled shuffle that publishes the home feed. */
export const handler = createShuffleFunction(loadApiConfig());
