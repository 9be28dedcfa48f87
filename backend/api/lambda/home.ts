import { loadApiConfig } from '../config';
import { createApiFunctions } from '../functions';

/** Lambda entry of the home function; clients and config are built once per cold start. */
export const handler = createApiFunctions(loadApiConfig()).home;
