import type { $ZodIssue } from 'zod/v4/core';
import type { ErrorBody, ErrorCode } from '../../shared/api';
import { AppError, invalidInput } from '../domain/errors';

/**
 * How the HTTP edges (the API's Lambdas, the auth server) answer errors: the domain raises
 * `AppError`s by category, the edge gives each its status and the body of shared/api/errors.ts.
 */

/** The HTTP status each category is answered with, by the API and the auth server alike. */
const httpStatusOf: Readonly<Record<ErrorCode, number>> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

/** The HTTP status of an error: its category's. */
export const statusOf = (error: AppError): number => httpStatusOf[error.code];

/** The error body; `code` is the category unless the edge names a more specific one. */
export function errorBody(error: AppError, code: string = error.code): ErrorBody {
  return {
    error: {
      code,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
      ...(error.details ?? {}),
    },
  };
}

/**
 * The 400 for input a schema refused: its first issue, naming the field (dotted path) it is
 * about. The API's messages are zod's, so they lead with the field (`name: must not be empty`);
 * the auth server's are written for people to read as they are (`fieldInMessage: false`). `at`
 * names the input the schema parsed when it is not a field of the body or query (a header).
 */
export function invalidInputFrom(
  issues: readonly $ZodIssue[],
  { fieldInMessage, at, fallback = 'invalid input' }: { fieldInMessage: boolean; at?: string; fallback?: string },
): AppError {
  const issue = issues[0];
  const field = [...(at === undefined ? [] : [at]), ...(issue?.path ?? [])].map(String).join('.') || undefined;
  const message = issue?.message ?? fallback;
  return invalidInput(fieldInMessage && field ? `${field}: ${message}` : message, field);
}
