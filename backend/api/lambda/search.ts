import { loadApiConfig } from '../config';
import { createApiFunctions } from '../functions';

/** Lambda entry of the search function; the index is loaded on the first request and kept fresh. */
export const handler = createApiFunctions(loadApiConfig()).search;
