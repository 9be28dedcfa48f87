import type { Middleware } from 'koa';
import type { z } from 'zod';
import { invalidInputFrom } from '../../http/error-response';
import type { AuthState } from '../deps';

/**
 * Parses `ctx.state.body` with `schema` into `ctx.state.input`; the first issue becomes a 400
 * with its field. The auth schemas' messages are written to be shown as they are ("Name is too long").
 */
export function validate(schema: z.ZodType): Middleware<AuthState> {
  return async (ctx, next) => {
    const result = schema.safeParse(ctx.state.body ?? {});
    if (!result.success) throw invalidInputFrom(result.error.issues, { fieldInMessage: false, fallback: 'Invalid request body' });
    ctx.state.input = result.data;
    return next();
  };
}

/** The validated input of this request, typed by its schema. */
export const inputOf = <S extends z.ZodType>(state: AuthState, _schema: S) => state.input as z.infer<S>;
