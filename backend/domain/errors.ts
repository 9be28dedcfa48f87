import type { ErrorCode } from '../../shared/api';

export type { ErrorCode } from '../../shared/api';

/**
 * The few errors the domain raises. Each has a stable `code` that clients may rely on
 * (shared/api/errors.ts); the HTTP edges answer it with its status (`backend/http/error-response.ts`).
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  /** Dotted path of the offending input field, for 400s. */
  readonly field?: string;
  /** Extra, client-safe details (e.g. the current version on a 409). */
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: { field?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.field = options.field;
    this.details = options.details;
  }
}

export const invalidInput = (message: string, field?: string) => new AppError('invalid_input', message, { field });
export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const unauthorized = (message = 'Missing or invalid access token') => new AppError('unauthorized', message);
export const conflict = (message: string, details?: Record<string, unknown>) => new AppError('conflict', message, { details });
export const unavailable = (message = 'A backing service is unavailable, try again shortly', cause?: unknown) =>
  new AppError('unavailable', message, { cause });
export const idempotencyKeyReused = () =>
  new AppError('idempotency_key_reused', 'This Idempotency-Key was used for a different request; send a new key for a new request');

/** `error` with more client-safe details, e.g. how far a write got before it failed. */
export const withDetails = (error: AppError, details: Record<string, unknown>) =>
  new AppError(error.code, error.message, { field: error.field, details: { ...error.details, ...details }, cause: error.cause });

/**
 * A write that failed after part of it was stored: `cause` is what stopped it, `progress` how far
 * it got (client-safe, e.g. `{ added, requested }`). The edge answers as for `cause`, with `progress` added.
 */
export class PartialWrite extends Error {
  constructor(
    override readonly cause: unknown,
    readonly progress: Record<string, unknown>,
  ) {
    super('A write failed part way', { cause });
    this.name = 'PartialWrite';
  }
}
