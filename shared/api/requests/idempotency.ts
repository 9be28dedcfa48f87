import * as z from 'zod/mini';

/** The `Idempotency-Key` header: 1–255 visible ASCII characters (no spaces); clients send a random UUID. */
export const idempotencyKeySchema = z
  .string()
  .check(z.regex(/^[\x21-\x7e]{1,255}$/, { error: 'must be 1–255 visible ASCII characters, e.g. a random UUID' }));
