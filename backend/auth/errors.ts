import { AppError, type ErrorCode, errorBody } from '../domain/errors';

/**
 * An AppError whose client-facing code is more specific than its category, e.g.
 * `invalid_credentials` (category `unauthorized`, 401). API.md fixes these codes.
 */
export class AuthError extends AppError {
  readonly publicCode: string;
  /** Redeclared so a few HTTP-only cases (405) can differ from their category's status. */
  declare readonly status: number;

  constructor(category: ErrorCode, publicCode: string, message: string, options: { status?: number; field?: string } = {}) {
    super(category, message, { field: options.field });
    this.publicCode = publicCode;
    if (options.status) this.status = options.status;
  }
}

export const invalidCredentials = () =>
  new AuthError('unauthorized', 'invalid_credentials', 'Email or password is incorrect');
export const emailTaken = () => new AuthError('conflict', 'email_taken', 'An account with this email already exists');
export const invalidRefreshToken = () =>
  new AuthError('unauthorized', 'invalid_refresh_token', 'Refresh token is invalid, expired or revoked; sign in again');
/** A wrong current password on an authenticated request: 403, so clients don't sign the user out. */
export const wrongPassword = (field: string) =>
  new AuthError('forbidden', 'wrong_password', 'Password is incorrect', { field });
export const bodyTooLarge = (limitBytes: number) =>
  new AppError('too_large', `Request body must be at most ${limitBytes} bytes`);
export const notJson = () => new AppError('unsupported_media_type', 'Send the request body as application/json');
export const malformedJson = () => new AppError('invalid_input', 'Request body is not valid JSON');
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError('rate_limited', 'Too many attempts, try again later', { details: { retryAfter: retryAfterSeconds } });
export const routeNotFound = () => new AppError('not_found', 'No such endpoint');
export const methodNotAllowed = () => new AuthError('invalid_input', 'method_not_allowed', 'Method not allowed on this endpoint', { status: 405 });
export const internalError = () => new AppError('internal', 'Something went wrong on our side');

/** The API.md error body, with the specific code for AuthErrors. */
export function authErrorBody(error: AppError) {
  const body = errorBody(error);
  return error instanceof AuthError ? { error: { ...body.error, code: error.publicCode } } : body;
}
