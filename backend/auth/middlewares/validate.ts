import type { Middleware } from 'koa';
import type { z } from 'zod';
import { invalidInput } from '../../domain/errors';
import type { AuthState } from '../deps';

/** Parses `ctx.state.body` with `schema` into `ctx.state.input`; the first issue becomes a 400 with its field. */
export function validate(schema: z.ZodType): Middleware<AuthState> {
  return async (ctx, next) => {
    const result = schema.safeParse(ctx.state.body ?? {});
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = issue?.path.map(String).join('.') || undefined;
      throw invalidInput(issue?.message ?? 'Invalid request body', field);
    }
    ctx.state.input = result.data;
    return next();
  };
}

/** The validated input of this request, typed by its schema. */
export const inputOf = <S extends z.ZodType>(state: AuthState, _schema: S) => state.input as z.infer<S>;
