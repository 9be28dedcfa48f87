import { loadApiConfig } from '../config';
import { createListeningFunction } from '../listening/function';
import { withLogContext } from '../../lambda-runtime/logger';
import { mapStackTracesOnDemand } from '../../lambda-runtime/stack-traces';

mapStackTracesOnDemand(import.meta.url);

/** Lambda entry of the listening function; clients and config are built once per cold start. */
export const handler = withLogContext(createListeningFunction(loadApiConfig()));
