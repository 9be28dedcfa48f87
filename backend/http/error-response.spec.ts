import { describe, expect, it } from 'vitest';
import { z as classic } from 'zod';
import * as z from 'zod/mini';
import { AppError, conflict } from '../domain/errors';
import { errorBody, invalidInputFrom, statusOf } from './error-response';

describe('error responses', () => {
  it('answers each category with its status and the shared error body', () => {
    const error = conflict('Playlist changed since version 3', { retryable: true });
    expect(statusOf(error)).toBe(409);
    expect(statusOf(new AppError('idempotency_key_reused', 'reused'))).toBe(422);
    expect(errorBody(error)).toEqual({ error: { code: 'conflict', message: 'Playlist changed since version 3', retryable: true } });
    expect(errorBody(new AppError('invalid_input', 'bad', { field: 'name' }), 'invalid_name')).toEqual({
      error: { code: 'invalid_name', message: 'bad', field: 'name' },
    });
  });

  it("turns a schema's first issue into a 400 naming its field, for zod/mini and classic zod alike", () => {
    const mini = z.safeParse(z.object({ entry: z.object({ id: z.string() }) }), { entry: { id: 1 } });
    const fromMini = invalidInputFrom(mini.error!.issues, { fieldInMessage: true });
    expect(fromMini).toMatchObject({ code: 'invalid_input', field: 'entry.id', message: expect.stringMatching(/^entry\.id: /) });

    const full = classic.object({ name: classic.string().min(1, 'Name is required') }).safeParse({ name: '' });
    expect(invalidInputFrom(full.error!.issues, { fieldInMessage: false })).toMatchObject({
      code: 'invalid_input',
      field: 'name',
      message: 'Name is required',
    });
  });

  it('names the input a schema parsed when it is not a field, and falls back when there is no issue', () => {
    const key = z.safeParse(z.string().check(z.minLength(1, { error: 'too short' })), '');
    expect(invalidInputFrom(key.error!.issues, { fieldInMessage: true, at: 'Idempotency-Key' })).toMatchObject({
      field: 'Idempotency-Key',
      message: 'Idempotency-Key: too short',
    });
    expect(invalidInputFrom([], { fieldInMessage: false, fallback: 'Invalid request body' })).toMatchObject({
      message: 'Invalid request body',
    });
  });
});
