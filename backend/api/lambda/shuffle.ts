import { loadApiConfig } from '../config';
import { createShuffleFunction } from '../home/shuffle-function';
import { withLogContext } from '../../lambda-runtime/logger';
import { mapStackTracesOnDemand } from '../../lambda-runtime/stack-traces';

mapStackTracesOnDemand(import.meta.url);

/** Lambda entry of the scheduled shuffle that publishes the home feed. */
export const handler = withLogContext(createShuffleFunction(loadApiConfig()));
