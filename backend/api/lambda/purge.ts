import { createPurgeFunction } from '../accounts/purge-function';
import { loadApiConfig } from '../config';
import { mapStackTracesOnDemand } from '../../lambda-runtime/stack-traces';

mapStackTracesOnDemand(import.meta.url);

/** Lambda entry of the scheduled purge of deleted accounts' data. */
export const handler = createPurgeFunction(loadApiConfig());
