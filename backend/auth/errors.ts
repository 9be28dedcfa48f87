import type { ErrorBody } from '../../shared/api';
import { AppError, type ErrorCode } from '../domain/errors';
import { errorBody, statusOf } from '../http/error-response';

/**
 * An AppError whose client-facing code is more specific than its category, e.g.
 * `invalid_credentials` (category `unauthorized`, 401). API.md fixes these codes.
 */
export class AuthError extends AppError {
  readonly publicCode: string;
  /** The HTTP status of the few HTTP-only cases (405) that differ from their category's. */
  readonly status?: number;

  constructor(
    category: ErrorCode,
    publicCode: string,
    message: string,
    options: { status?: number; field?: string; details?: Record<string, unknown> } = {},
  ) {
    super(category, message, { field: options.field, details: options.details });
    this.publicCode = publicCode;
    this.status = options.status;
  }
}

export const invalidCredentials = () => new AuthError('unauthorized', 'invalid_credentials', 'Email or password is incorrect');
export const emailTaken = () => new AuthError('conflict', 'email_taken', 'An account with this email already exists');
export const isEmailTaken = (error: unknown) => error instanceof AuthError && error.publicCode === 'email_taken';
export const registrationClosed = () =>
  new AuthError('forbidden', 'registration_closed', 'This server does not take new registrations; ask its admin for an account');
/** One answer for a missing, mistyped, used, expired or someone else's invite code. */
export const invalidInvite = () =>
  new AuthError('forbidden', 'invalid_invite', 'This invite code is not valid: it may be mistyped, used or expired', {
    field: 'inviteCode',
  });
export const invalidRefreshToken = () =>
  new AuthError('unauthorized', 'invalid_refresh_token', 'Refresh token is invalid, expired or revoked; sign in again');
/** A wrong current password on an authenticated request: 403, so clients don't sign the user out. */
export const wrongPassword = (field: string) => new AuthError('forbidden', 'wrong_password', 'Password is incorrect', { field });
export const bodyTooLarge = (limitBytes: number) => new AppError('too_large', `Request body must be at most ${limitBytes} bytes`);
export const notJson = () => new AppError('unsupported_media_type', 'Send the request body as application/json');
export const malformedJson = () => new AppError('invalid_input', 'Request body is not valid JSON');
export const notJsonObject = () => new AppError('invalid_input', 'Request body must be a JSON object');
export const compressedBody = () => new AppError('unsupported_media_type', 'Send the request body uncompressed');
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError('rate_limited', 'Too many attempts, try again later', { details: { retryAfter: retryAfterSeconds } });
/** Too many password checks already waiting: 503 at once rather than a slow answer. */
export const serverBusy = () =>
  new AuthError('unavailable', 'server_busy', 'The server is busy, try again in a moment', { details: { retryAfter: 1 } });
export const isServerBusy = (error: unknown) => error instanceof AuthError && error.publicCode === 'server_busy';
export const routeNotFound = () => new AppError('not_found', 'No such endpoint');
export const methodNotAllowed = () =>
  new AuthError('invalid_input', 'method_not_allowed', 'Method not allowed on this endpoint', { status: 405 });
export const internalError = () => new AppError('internal', 'Something went wrong on our side');

/** The status and body an error is answered with: an AuthError's specific code (and status, if it has its own). */
export function authErrorResponse(error: AppError): { status: number; body: ErrorBody } {
  if (!(error instanceof AuthError)) return { status: statusOf(error), body: errorBody(error) };
  return { status: error.status ?? statusOf(error), body: errorBody(error, error.publicCode) };
}
