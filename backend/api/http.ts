import { $ZodError, type $ZodType } from 'zod/v4/core';
import * as z from 'zod/mini';
import '../domain/zod-messages';
import { AppError, invalidInput, PartialWrite, unauthorized, unavailable, withDetails } from '../domain/errors';
import { IDEMPOTENCY_KEY_HEADER, REPLAYED_HEADER } from '../../shared/api';
import { idempotencyKeySchema } from '../../shared/api/requests';
import { errorBody, invalidInputFrom, statusOf } from '../http/error-response';
import { logger } from '../lambda-runtime/logger';
import { withRetryBudget } from '../lambda-runtime/retry-deadline';
import type { AccessCheck } from './access-check';
import type { ApiEvent, ApiHandler, ApiResult } from './types';

const jsonHeaders = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/** The one way handlers answer: JSON with the given status. */
export function json(status: number, body: unknown): ApiResult {
  return { statusCode: status, headers: jsonHeaders, body: JSON.stringify(body) };
}

export const ok = (body: unknown) => json(200, body);
/** 201; `replayed` marks an answer stored by an earlier request with the same Idempotency-Key. */
export const created = (body: unknown, replayed = false): ApiResult => {
  const result = json(201, body);
  if (replayed) result.headers = { ...result.headers, [REPLAYED_HEADER.toLowerCase()]: 'true' };
  return result;
};
export const noContent = (): ApiResult => ({ statusCode: 204, headers: { 'cache-control': 'no-store' } });

/** The verified user: only ever the `sub` claim the JWT authorizer checked. */
export function userIdOf(event: ApiEvent): string {
  const sub = event.requestContext?.authorizer?.jwt?.claims?.sub;
  if (typeof sub !== 'string' || !sub) throw unauthorized();
  return sub;
}

/** Parses input with a zod schema, turning the first issue into a 400 that names the field. */
export function parse<S extends $ZodType>(schema: S, input: unknown): z.output<S> {
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;
  throw invalidInputFrom(result.error.issues, { fieldInMessage: true });
}

/** The JSON body of a request (an empty body reads as `{}`); 415 when it is not JSON. */
export function jsonBody(event: ApiEvent): unknown {
  const type = event.headers?.['content-type'] ?? event.headers?.['Content-Type'];
  if (type && !/^application\/([\w.+-]*\+)?json\b/i.test(type)) {
    throw new AppError('unsupported_media_type', 'Send the request body as application/json');
  }
  if (!event.body) return {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw invalidInput('The request body is not valid JSON');
  }
}

/**
 * The request's Idempotency-Key (API.md), or undefined when it has none; a malformed key is a
 * 400 naming the header, never silently ignored (the client counts on it).
 */
export function idempotencyKeyOf(event: ApiEvent): string | undefined {
  const key = event.headers?.[IDEMPOTENCY_KEY_HEADER.toLowerCase()] ?? event.headers?.[IDEMPOTENCY_KEY_HEADER];
  if (key === undefined) return undefined;
  const result = z.safeParse(idempotencyKeySchema, key);
  if (!result.success)
    throw invalidInputFrom(result.error.issues, { fieldInMessage: true, at: IDEMPOTENCY_KEY_HEADER, fallback: 'invalid' });
  return result.data;
}

const connectionCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET']);
const busyNames = new Set([
  'TimeoutError',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'InternalServerError',
  'SlowDown',
]);

/** True for errors that mean DynamoDB or S3 could not be reached or is overloaded. */
function isDependencyDown(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const candidate = e as { code?: unknown; name?: unknown; $metadata?: { httpStatusCode?: number }; cause?: unknown };
    if (typeof candidate.code === 'string' && connectionCodes.has(candidate.code)) return true;
    if (typeof candidate.name === 'string' && busyNames.has(candidate.name)) return true;
    const status = candidate.$metadata?.httpStatusCode;
    if (status !== undefined && status >= 500) return true;
    if (e instanceof AggregateError && e.errors.some(isDependencyDown)) return true;
    e = candidate.cause;
  }
  return false;
}

/** The client-safe form of any error; a partial write answers as what stopped it, with its progress. */
function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof PartialWrite) return withDetails(toAppError(error.cause), error.progress);
  // A zod error no `parse` turned into a 400 (a schema applied deeper down): the field goes in `field` only.
  if (error instanceof $ZodError) return invalidInputFrom(error.issues, { fieldInMessage: false });
  if (isDependencyDown(error)) return unavailable(undefined, error);
  return new AppError('internal', 'Something went wrong on our side', { cause: error });
}

/** Maps any error to a client-safe response; unexpected ones are logged once, without request data. */
export function errorResult(thrown: unknown, event?: ApiEvent): ApiResult {
  const appError = toAppError(thrown);
  const status = statusOf(appError);
  const error = thrown instanceof PartialWrite ? thrown.cause : thrown;
  if (status >= 500) {
    const cause = appError.code === 'internal' ? error : appError.cause;
    logger.error('request failed', { code: appError.code, routeKey: event?.routeKey, error: cause });
  }
  const result = json(status, errorBody(appError));
  if (appError.code === 'unavailable') result.headers = { ...result.headers, 'retry-after': '1' };
  return result;
}

/** A handler for one route; throwing is the way to fail. */
export type RouteHandler = (event: ApiEvent) => Promise<ApiResult>;

/**
 * One Lambda serving several routes: dispatch on `event.routeKey` once `access` accepts the
 * request's token (API Gateway checked its signature and expiry, `access` that it was not
 * revoked since), map every error in one place. Each request's write retries share one budget
 * (`withRetryBudget`), so it answers 409/503 itself before the function times out.
 */
export function dispatch(handlers: Record<string, RouteHandler>, access: AccessCheck): ApiHandler {
  return (event) =>
    withRetryBudget(async () => {
      try {
        const handler = handlers[event.routeKey];
        if (!handler) return json(404, { error: { code: 'not_found', message: `No route for ${event.routeKey}` } });
        await access(event);
        return await handler(event);
      } catch (error) {
        return errorResult(error, event);
      }
    });
}

/** A path parameter that the route key guarantees. */
export const pathParam = (event: ApiEvent, name: string) => event.pathParameters?.[name] ?? '';
