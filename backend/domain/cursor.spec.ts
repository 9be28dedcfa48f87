import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { decodeCursor, encodeCursor } from './cursor';
import { AppError } from './errors';

const shape = z.strictObject({ pk: z.literal('user#a'), sk: z.string() });
const raw = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

function refusal(cursor: string): unknown {
  try {
    decodeCursor(cursor, shape);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('paging cursors', () => {
  it('round-trips what the server encoded, as URL-safe text', () => {
    const key = { pk: 'user#a', sk: 'playlist#ü?/+' };
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, shape)).toEqual(key);
  });

  it.each([
    ['empty', ''],
    ['outside the base64url alphabet', 'eyJwayI6InVzZXIjYSJ9+/=='],
    ['with a line break', `${encodeCursor({ pk: 'user#a', sk: 'x' })}\n`],
    ['not JSON', raw('{"pk":')],
    ['JSON null', raw('null')],
    ['an array', encodeCursor(['user#a', 'x'])],
    ['a wrong type', encodeCursor({ pk: 'user#a', sk: 1 })],
    ['another partition', encodeCursor({ pk: 'user#b', sk: 'x' })],
    ['an extra key', encodeCursor({ pk: 'user#a', sk: 'x', more: 'y' })],
    ['a missing key', encodeCursor({ pk: 'user#a' })],
  ])('refuses a cursor %s with a 400 naming the cursor', (_, cursor) => {
    const error = refusal(cursor);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'invalid_input', field: 'cursor' });
  });
});
