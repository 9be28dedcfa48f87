import type { Middleware } from 'koa';
import { AppError } from '../../domain/errors';
import type { AuthState, LogFn } from '../deps';
import { authErrorResponse, internalError, routeNotFound } from '../errors';

/** Maps any HttpError Koa or the router throws to our error shape; anything else is a 500. */
function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const status = (error as { status?: unknown } | null)?.status;
  if (status === 404) return routeNotFound();
  return undefined;
}

/**
 * The one place errors become HTTP responses (API.md error body). Unknown errors are logged
 * here with their stack and reach the client only as `internal`.
 */
export function errorHandler(log: LogFn): Middleware<AuthState> {
  return async (ctx, next) => {
    try {
      await next();
      // Nothing answered: not a route of ours (allowedMethods has already turned wrong methods into 405).
      if (ctx.status === 404 && ctx.body == null) throw routeNotFound();
    } catch (error) {
      let appError = toAppError(error);
      if (!appError) {
        const { name, message, stack } = error instanceof Error ? error : new Error(String(error));
        log({ level: 'error', msg: 'unhandled error', requestId: ctx.state.requestId, error: { name, message, stack } });
        appError = internalError();
      }
      const { status, body } = authErrorResponse(appError);
      ctx.status = status;
      ctx.body = body;
      const retryAfter = appError.details?.retryAfter;
      if (typeof retryAfter === 'number') ctx.set('Retry-After', String(retryAfter));
    }
  };
}
