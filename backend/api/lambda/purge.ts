import { createPurgeFunction } from '../accounts/purge-function';
import { loadApiConfig } from '../config';
import { withLogContext } from '../../lambda-runtime/logger';
import { mapStackTracesOnDemand } from '../../lambda-runtime/stack-traces';

mapStackTracesOnDemand(import.meta.url);

/** Lambda entry of the scheduled purge of deleted accounts' data. */
export const handler = withLogContext(createPurgeFunction(loadApiConfig()));
